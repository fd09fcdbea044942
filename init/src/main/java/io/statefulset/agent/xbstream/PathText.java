package io.statefulset.agent.xbstream;

/** How a path from the stream appears in a message: quoted, with anything unprintable escaped, never a raw control byte. */
final class PathText {
    private PathText() {}

    static String quote(String path) {
        StringBuilder out = new StringBuilder(path.length() + 2).append('\'');
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else if (c == '\'' || c == '\\') {
                out.append('\\').append(c);
            } else {
                out.append(c);
            }
        }
        return out.append('\'').toString();
    }
}
