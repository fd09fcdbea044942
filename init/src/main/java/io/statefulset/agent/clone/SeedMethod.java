package io.statefulset.agent.clone;

import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.protocol.PeerStatus;
import java.util.Optional;

/**
 * How {@code init} in {@code --clone-method auto} seeds an empty data dir, from what the chosen donor said to
 * {@code /status}: the CLONE plugin when it offers it ({@code clone_plugin=yes}: MySQL 8.0.17+ with the plugin
 * active), the xbstream clone otherwise, and also when the donor said nothing readable (the tutorial's sidecar, an
 * older agent, a peer not up yet), so that everything that worked before keeps working.
 *
 * @param clonePluginDonor the donor's mysqld for CLONE; empty for the xbstream clone
 * @param reason           the one log line: which method and why
 */
public record SeedMethod(Optional<HostPort> clonePluginDonor, String reason) {
    public static SeedMethod decide(PeerReport chosen) {
        if (chosen.status().isEmpty()) {
            return xbstream("donor " + chosen.peer() + " gave no status (" + chosen.problem() + ")");
        }
        PeerStatus s = chosen.status().get();
        if (!s.mysqlUp()) return xbstream("donor " + chosen.peer() + " reports its mysqld down");
        if (!s.seeding().clonePlugin()) {
            return xbstream("donor " + chosen.peer() + " offers no CLONE plugin (" + s.seeding().describe() + ")");
        }
        HostPort mysqld = new HostPort(chosen.peer().host(), s.seeding().mysqlPort());
        return new SeedMethod(Optional.of(mysqld), "seeding method: clone-plugin from " + mysqld + " (--clone-method auto; donor "
                + chosen.peer() + " offers it: " + s.seeding().describe() + "): the data dir is left to mysqld and serve"
                + " clones into it");
    }

    /** {@code --clone-method clone-plugin}: CLONE without asking whether the donor offers it (serve checks both sides). */
    public static SeedMethod clonePlugin(PeerReport chosen) {
        int port = chosen.status().map(s -> s.seeding().mysqlPort()).orElse(PeerStatus.Seeding.DEFAULT_MYSQL_PORT);
        HostPort mysqld = new HostPort(chosen.peer().host(), port);
        return new SeedMethod(Optional.of(mysqld), "seeding method: clone-plugin from " + mysqld + " (--clone-method clone-plugin):"
                + " the data dir is left to mysqld and serve clones into it");
    }

    private static SeedMethod xbstream(String why) {
        return new SeedMethod(Optional.empty(), "seeding method: xbstream (--clone-method auto; " + why + ")");
    }
}
