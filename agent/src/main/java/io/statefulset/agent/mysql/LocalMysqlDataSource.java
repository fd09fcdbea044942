package io.statefulset.agent.mysql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.secret.Secret;
import java.time.Duration;
import java.util.Optional;

/**
 * The sidecar's connections to its own mysqld: a pool of two (the setup or a probe, plus one spare), none kept
 * open while idle. The pool starts without connecting ({@code initializationFailTimeout=-1}) because mysqld starts
 * next to the sidecar and may take a while; {@link MysqlStartupWait} does the waiting.
 */
public final class LocalMysqlDataSource {
    private LocalMysqlDataSource() {}

    /** Connect timeout of the sidecar's own pool. */
    public static final Duration TIMEOUT = Duration.ofSeconds(3);

    /**
     * A connection of its own for the CLONE statement, outside the pool: no socket timeout (a clone of a large
     * data set runs for hours) and never handed to anyone else (the server closes it when it restarts).
     */
    public static java.sql.Connection cloneConnection(HostPort mysql, String user, Optional<Secret> password)
            throws java.sql.SQLException {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", user);
        password.ifPresent(s -> p.setProperty("password", s.reveal()));
        p.setProperty("connectTimeout", "5000");
        p.setProperty("socketTimeout", "0");
        p.setProperty("sslMode", "PREFERRED");
        p.setProperty("allowPublicKeyRetrieval", "true");
        p.setProperty("connectionAttributes", "program_name:mysql-statefulset-agent");
        return java.sql.DriverManager.getConnection("jdbc:mysql://" + mysql + "/", p);
    }

    /** @param timeout connect timeout, and how long a caller waits for a pooled connection */
    public static HikariDataSource create(HostPort mysql, String user, Optional<Secret> password, Duration timeout) {
        HikariConfig c = new HikariConfig();
        c.setPoolName("local-mysql");
        c.setJdbcUrl("jdbc:mysql://" + mysql + "/");
        c.setUsername(user);
        password.ifPresent(p -> c.setPassword(p.reveal()));
        c.setMaximumPoolSize(2);
        c.setMinimumIdle(0);
        c.setInitializationFailTimeout(-1);
        c.setConnectionTimeout(Math.max(250, timeout.toMillis()));
        c.setValidationTimeout(Math.max(250, Math.min(timeout.toMillis(), 2000)));
        c.setIdleTimeout(Duration.ofSeconds(30).toMillis());
        c.addDataSourceProperty("connectTimeout", String.valueOf(timeout.toMillis()));
        // A slow SHOW SLAVE STATUS must not hang a probe forever; the statements of the setup take milliseconds.
        c.addDataSourceProperty("socketTimeout", "60000");
        // TLS when mysqld offers it (so the password is not sent in clear text), plain otherwise (MariaDB default).
        c.addDataSourceProperty("sslMode", "PREFERRED");
        // caching_sha2_password over a plain connection needs the server's RSA key.
        c.addDataSourceProperty("allowPublicKeyRetrieval", "true");
        c.addDataSourceProperty("connectionAttributes", "program_name:mysql-statefulset-agent");
        return new HikariDataSource(c);
    }
}
