package io.statefulset.agent.common.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who this pod is, from its hostname as a StatefulSet names it: {@code <sts>-<ordinal>}. Ordinal 0 is the primary;
 * every other pod is a replica seeded from an earlier peer.
 */
public record PodIdentity(String statefulSet, int ordinal, String service) {
    // A DNS label (what Kubernetes allows for a StatefulSet name) followed by -<ordinal>. The hostname may be
    // fully qualified (mysql-1.mysql.default.svc.cluster.local): only the first label counts.
    private static final Pattern POD_NAME = Pattern.compile("([a-z0-9]([-a-z0-9]*[a-z0-9])?)-(0|[1-9][0-9]{0,8})");

    public PodIdentity {
        if (ordinal < 0) throw new IllegalArgumentException("ordinal " + ordinal + " is negative");
    }

    /**
     * @throws IllegalArgumentException naming the hostname and the expected form
     */
    public static PodIdentity fromHostname(String hostname, String service) {
        if (hostname == null || hostname.isBlank()) {
            throw new IllegalArgumentException("hostname is empty: set $HOSTNAME or pass --hostname <statefulset>-<ordinal>");
        }
        String first = hostname.trim().split("\\.", 2)[0];
        Matcher m = POD_NAME.matcher(first);
        if (!m.matches()) {
            throw new IllegalArgumentException("hostname '" + hostname + "' is not <statefulset>-<ordinal> (like mysql-0 or my-db-12):"
                    + " run the agent in a StatefulSet pod, or pass --hostname");
        }
        return new PodIdentity(m.group(1), Integer.parseInt(m.group(3)), service);
    }

    public String podName() {
        return statefulSet + "-" + ordinal;
    }

    public boolean isPrimary() {
        return ordinal == 0;
    }

    public int serverId(int offset) {
        return offset + ordinal;
    }

    /** {@code <sts>-<n>.<service>}, the stable DNS name the headless Service gives pod n. */
    public String peerHost(int n) {
        return statefulSet + "-" + n + "." + service;
    }

    /** This pod's own stable name, for {@code report_host}. */
    public String ownHost() {
        return peerHost(ordinal);
    }

    public String primaryHost() {
        return peerHost(0);
    }

    /** Donors to clone from, nearest first: the previous peer (as the tutorial does), then earlier ones down to 0. */
    public List<HostPort> defaultDonors(int port) {
        List<HostPort> donors = new ArrayList<>();
        for (int n = ordinal - 1; n >= 0; n--) donors.add(new HostPort(peerHost(n), port));
        return donors;
    }
}
