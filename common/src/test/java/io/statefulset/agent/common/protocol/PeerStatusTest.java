package io.statefulset.agent.common.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class PeerStatusTest {
    @Test
    void theTextReadsBackAsTheSameStatus() {
        PeerStatus s = new PeerStatus(PeerStatus.REPLICA, true, true, OptionalLong.of(3), "0-100-42,1-7-9", true);
        assertEquals(Optional.of(s), PeerStatus.parse(s.text()));
        PeerStatus down = new PeerStatus(PeerStatus.PRIMARY, false, false, OptionalLong.empty(), "", false);
        assertEquals(Optional.of(down), PeerStatus.parse(down.text()));
        assertFalse(down.holdsData());
    }

    @Test
    void seedingKeysReadBackAndAnOlderAgentWithoutThemOffersNeither() {
        PeerStatus offers = new PeerStatus(PeerStatus.PRIMARY, true, false, OptionalLong.empty(), "u:1-3", false,
                new PeerStatus.Seeding(true, false, 13306));
        assertTrue(offers.text().contains("clone_plugin=yes\nbackup_tool=no\nmysql_port=13306\n"), offers.text());
        assertEquals(Optional.of(offers), PeerStatus.parse(offers.text()));
        PeerStatus old = PeerStatus.parse("role=primary\nmysql=up\nreplicating=no\nlag_seconds=unknown\n"
                + "gtid_position=u:1-3\nbackup_running=no\n").orElseThrow();
        assertEquals(PeerStatus.Seeding.UNKNOWN, old.seeding());
        assertFalse(old.seeding().clonePlugin());
        assertEquals(3306, PeerStatus.parse("role=primary\nmysql_port=99999\n").orElseThrow().seeding().mysqlPort());
    }

    @Test
    void somethingElseIsNotAStatus() {
        assertEquals(Optional.empty(), PeerStatus.parse("no such endpoint: /status\n"));
        assertEquals(Optional.empty(), PeerStatus.parse("role=leader\n"));
    }

    @Test
    void unknownKeysAreIgnoredSoThatNewerAgentsCanAddSome() {
        PeerStatus s = PeerStatus.parse("role=replica\nmysql=up\nreplicating=no\nlag_seconds=unknown\n"
                + "gtid_position=0-100-5\nbackup_running=no\nfuture_key=1\n").orElseThrow();
        assertTrue(s.holdsData());
        assertEquals(OptionalLong.empty(), s.lagSeconds());
    }

    @Test
    void transactionsRankMariaDbDomainsAndMySqlGtidSets() {
        assertEquals(42 + 9, status("0-100-42,1-7-9").transactions());
        assertEquals(5 + 1 + 3, status("3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5:7:10-12").transactions());
        assertEquals(10, status("a0a0a0a0-0000-0000-0000-000000000000:1-4,\n b1b1b1b1-0000-0000-0000-000000000000:1-6")
                .transactions());
        assertTrue(status("0-100-43").transactions() > status("0-100-42").transactions());
        assertEquals(0, status("").transactions());
    }

    private static PeerStatus status(String gtid) {
        return new PeerStatus(PeerStatus.REPLICA, true, false, OptionalLong.empty(), gtid, false);
    }
}
