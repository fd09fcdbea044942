package io.statefulset.agent.replication.preflight;

import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.replication.SourceEndpoint;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * One short connection to the replication source, as the replica's IO thread would make it (same host, user and
 * password), for the checks before replication starts. The replication account's {@code REPLICATION CLIENT} grant
 * is enough for what is asked.
 */
public final class SourceConnection {
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private SourceConnection() {}

    public static Connection open(HostPort source, SourceEndpoint account) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", account.user());
        account.password().ifPresent(pw -> p.setProperty("password", pw.reveal()));
        p.setProperty("connectTimeout", String.valueOf(TIMEOUT.toMillis()));
        p.setProperty("socketTimeout", String.valueOf(TIMEOUT.multipliedBy(6).toMillis()));
        // As for the local mysqld: TLS when offered, the RSA key for caching_sha2_password otherwise.
        p.setProperty("sslMode", "PREFERRED");
        p.setProperty("allowPublicKeyRetrieval", "true");
        p.setProperty("connectionAttributes", "program_name:mysql-statefulset-agent");
        return DriverManager.getConnection("jdbc:mysql://" + source + "/", p);
    }
}
