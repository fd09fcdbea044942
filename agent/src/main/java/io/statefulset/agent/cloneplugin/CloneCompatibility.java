package io.statefulset.agent.cloneplugin;

import io.statefulset.agent.replication.dialect.ServerVersion;
import java.util.Optional;

/**
 * The version rules of the CLONE plugin, checked before a clone so that the refusal names both versions: MySQL
 * 8.0.17+ on both sides, the same series (8.0, 8.4, ...), and before 8.0.37 (and for 9.x innovation releases)
 * the same point release.
 */
public final class CloneCompatibility {
    private CloneCompatibility() {}

    /** The first release with the CLONE plugin. */
    public static boolean supportsClone(ServerVersion v) {
        return !v.isMariaDb() && v.atLeast(8, 0, 17);
    }

    /** @return why {@code donor} cannot clone into {@code recipient}, or empty when it can */
    public static Optional<String> refusal(ServerVersion donor, ServerVersion recipient) {
        if (!supportsClone(donor)) {
            return Optional.of("the donor runs " + donor + ": the CLONE plugin needs MySQL 8.0.17 or later on both sides"
                    + " (use --clone-method xbstream for MariaDB and MySQL 5.7)");
        }
        if (!supportsClone(recipient)) {
            return Optional.of("this replica runs " + recipient + ": the CLONE plugin needs MySQL 8.0.17 or later");
        }
        if (donor.major() != recipient.major() || donor.minor() != recipient.minor()) {
            return Optional.of("the donor runs " + donor + " and this replica " + recipient
                    + ": CLONE only copies within one release series; run the same mysqld image on every pod");
        }
        boolean pointReleaseMustMatch = donor.major() >= 9 || (donor.major() == 8 && donor.minor() == 0
                && (donor.patch() < 37 || recipient.patch() < 37));
        if (pointReleaseMustMatch && donor.patch() != recipient.patch()) {
            return Optional.of("the donor runs " + donor + " and this replica " + recipient
                    + ": CLONE needs the same point release here; run the same mysqld image on every pod");
        }
        return Optional.empty();
    }
}
