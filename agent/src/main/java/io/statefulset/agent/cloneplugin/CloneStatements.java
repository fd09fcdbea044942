package io.statefulset.agent.cloneplugin;

import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.replication.dialect.SqlCommand;
import io.statefulset.agent.common.secret.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The statements a recipient runs for one clone. Host and user go through {@code SqlLiteral} (CLONE takes no
 * placeholders), the password is masked in every displayed form, the bandwidth caps are validated integers.
 */
final class CloneStatements {
    private CloneStatements() {}

    /** Before the clone: the donor allowed, the caps set (0 resets a cap set before), super_read_only lifted. */
    static List<SqlCommand> prepare(HostPort donor, ClonePluginSettings s, boolean superReadOnly) {
        List<SqlCommand> steps = new ArrayList<>();
        // CLONE refuses to run under super_read_only; the restart that ends the clone reads the config again.
        if (superReadOnly) steps.add(SqlCommand.of("SET GLOBAL super_read_only = OFF"));
        steps.add(SqlCommand.bound("SET GLOBAL clone_valid_donor_list = ?", donor.host() + ":" + donor.port()));
        steps.add(SqlCommand.of("SET GLOBAL clone_max_network_bandwidth = " + s.maxNetworkMibPerSec()));
        steps.add(SqlCommand.of("SET GLOBAL clone_max_data_bandwidth = " + s.maxDataMibPerSec()));
        // A killed donor otherwise holds the recipient for the server's default of 5 minutes before the next donor.
        steps.add(SqlCommand.of("SET GLOBAL clone_donor_timeout_after_network_failure = " + s.donorTimeoutMinutes()));
        return steps;
    }

    static SqlCommand clone(HostPort donor, String user, Optional<Secret> password, boolean requireSsl) {
        SqlCommand.Builder b = SqlCommand.builder("CLONE INSTANCE FROM ").literal(user, "the clone user").text("@")
                .literal(donor.host(), "the donor host").text(":" + donor.port()).text(" IDENTIFIED BY ");
        if (password.isPresent() && !password.get().isEmpty()) b.secret(password.get(), "the clone password");
        else b.text("''");
        return b.text(requireSsl ? " REQUIRE SSL" : "").build();
    }
}
