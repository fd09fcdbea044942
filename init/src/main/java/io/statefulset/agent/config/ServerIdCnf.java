package io.statefulset.agent.config;

import io.statefulset.agent.common.identity.PodIdentity;

/**
 * The per-pod part of mysqld's configuration, as the tutorial's init-mysql container writes it: a unique
 * {@code server-id} for replication and the {@code report_host} that {@code SHOW SLAVE HOSTS} shows.
 */
public record ServerIdCnf(int serverId, String reportHost) {
    public static final String FILE_NAME = "server-id.cnf";

    public ServerIdCnf {
        // mysqld refuses 0 on a replica and server-id is an unsigned 32-bit number.
        if (serverId < 1) throw new IllegalArgumentException("server-id " + serverId + " must be at least 1: check --server-id-offset");
        if (reportHost.isBlank() || reportHost.chars().anyMatch(c -> c <= ' ' || c == '#' || c == '=')) {
            throw new IllegalArgumentException("report_host '" + reportHost + "' is not a host name: check --hostname and --service");
        }
    }

    public static ServerIdCnf of(PodIdentity pod, int serverIdOffset) {
        return new ServerIdCnf(pod.serverId(serverIdOffset), pod.ownHost());
    }

    public String render() {
        return "[mysqld]\nserver-id=" + serverId + "\nreport_host=" + reportHost + "\n";
    }
}
