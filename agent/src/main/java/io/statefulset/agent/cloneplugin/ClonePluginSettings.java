package io.statefulset.agent.cloneplugin;

import io.statefulset.agent.clone.CloneMethod;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.secret.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What {@code serve} needs to seed an empty replica with the CLONE plugin.
 *
 * @param method             {@code auto}, {@code xbstream} (never clone here) or {@code clone-plugin}
 * @param donors             donor mysqlds, nearest first (default: the previous peer's :3306, then earlier peers)
 * @param donorUser          the account on the donor ({@code BACKUP_ADMIN}); created on the primary by serve
 * @param donorPassword      its password (env {@code AGENT_CLONE_PASSWORD} or a file), never argv
 * @param donorWait          per round, how long to wait for a donor to accept connections
 * @param stallTimeout       a donor gone this long has failed: {@code clone_donor_timeout_after_network_failure},
 *                           in whole minutes (rounded up; the server's default of 5 would hold a dead donor 5 minutes)
 * @param attempts           rounds over all donors before serve gives up (exit 1)
 * @param progressInterval   how often a running clone logs bytes, MB/s and ETA
 * @param maxNetworkMibPerSec {@code clone_max_network_bandwidth} in MiB/s, 0 = unlimited
 * @param maxDataMibPerSec   {@code clone_max_data_bandwidth} in MiB/s, 0 = unlimited
 * @param requireSsl         {@code CLONE ... REQUIRE SSL}: refuse a clone connection without TLS
 * @param confDir            init's conf dir as this container mounts it: where a rebuild's fence is lifted
 */
public record ClonePluginSettings(CloneMethod method, List<HostPort> donors, String donorUser, Optional<Secret> donorPassword,
                                  Duration donorWait, Duration stallTimeout, int attempts, Duration progressInterval, int maxNetworkMibPerSec,
                                  int maxDataMibPerSec, boolean requireSsl, Path confDir) {
    public ClonePluginSettings {
        donors = List.copyOf(donors);
        if (donorUser == null || donorUser.isBlank()) throw new IllegalArgumentException("clone user is empty: set --clone-user");
        if (stallTimeout.isNegative()) throw new IllegalArgumentException("--stall-timeout must not be negative");
        if (attempts < 1) throw new IllegalArgumentException("--clone-attempts must be at least 1");
        if (maxNetworkMibPerSec < 0 || maxDataMibPerSec < 0) {
            throw new IllegalArgumentException("clone bandwidth caps are MiB/s, 0 (unlimited) or more");
        }
    }

    /** The server takes 0..30 minutes; 0 gives up on the first network error. */
    public int donorTimeoutMinutes() {
        long minutes = (stallTimeout.toSeconds() + 59) / 60;
        return (int) Math.min(30, minutes);
    }
}
