package io.statefulset.agent.common.identity;

/** A network address as users write it: {@code host:port}. */
public record HostPort(String host, int port) {
    public HostPort {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("host is empty");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port " + port + " is not in 1..65535");
    }

    /** Parses {@code host:port}, or {@code host} alone with {@code defaultPort}; {@code [::1]:3307} for IPv6. */
    public static HostPort parse(String text, int defaultPort) {
        String s = text.trim();
        if (s.isEmpty()) throw new IllegalArgumentException("address is empty: expected host:port");
        String host;
        String port = null;
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            if (end < 0) throw new IllegalArgumentException("address '" + text + "' has no closing ']'");
            host = s.substring(1, end);
            if (end + 1 < s.length()) {
                if (s.charAt(end + 1) != ':') throw new IllegalArgumentException("address '" + text + "': expected ':' after ']'");
                port = s.substring(end + 2);
            }
        } else {
            int colon = s.lastIndexOf(':');
            if (colon >= 0 && s.indexOf(':') == colon) {
                host = s.substring(0, colon);
                port = s.substring(colon + 1);
            } else {
                host = s;
            }
        }
        int p = defaultPort;
        if (port != null) {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("address '" + text + "': port '" + port + "' is not a number");
            }
        }
        return new HostPort(host, p);
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
