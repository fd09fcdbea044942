package io.statefulset.agent.clone;

import io.statefulset.agent.common.identity.HostPort;
import java.util.List;

/** Asks peers {@code GET /status}; the edge between the donor choice and the network. */
@FunctionalInterface
public interface StatusAsk {
    /** @return one report per peer, in the order given; never throws for a peer that does not answer */
    List<PeerReport> ask(List<HostPort> peers) throws InterruptedException;
}
