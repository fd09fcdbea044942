package io.statefulset.agent.mysql;

import com.mysql.cj.jdbc.MysqlDataSource;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.secret.Secret;
import io.statefulset.agent.common.secret.SecretSource;
import java.time.Duration;
import java.util.Optional;

/**
 * The sidecar's connections to its own mysqld: a pool of two (the setup or a probe, plus one spare), none kept
 * open while idle. The pool starts without connecting ({@code initializationFailTimeout=-1}) because mysqld starts
 * next to the sidecar and may take a while; {@link MysqlStartupWait} does the waiting. Each new connection asks for
 * the password in use at that moment ({@link CurrentPasswordDataSource}), so a rotated password file needs no restart.
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

    /** As {@link #withPasswordFrom} with a password that never changes. */
    public static HikariDataSource create(HostPort mysql, String user, Optional<Secret> password, Duration timeout) {
        return withPasswordFrom(mysql, user, password.map(SecretSource::fixed), timeout);
    }

    /** @param timeout connect timeout, and how long a caller waits for a pooled connection */
    public static HikariDataSource withPasswordFrom(HostPort mysql, String user, Optional<SecretSource> password,
                                                    Duration timeout) {
        HikariConfig c = new HikariConfig();
        c.setPoolName("local-mysql");
        c.setDataSource(new CurrentPasswordDataSource(driver(mysql, timeout), user, password));
        c.setMaximumPoolSize(2);
        c.setMinimumIdle(0);
        c.setInitializationFailTimeout(-1);
        c.setConnectionTimeout(Math.max(250, timeout.toMillis()));
        c.setValidationTimeout(Math.max(250, Math.min(timeout.toMillis(), 2000)));
        c.setIdleTimeout(Duration.ofSeconds(30).toMillis());
        return new HikariDataSource(c);
    }

    private static MysqlDataSource driver(HostPort mysql, Duration timeout) {
        MysqlDataSource ds = new MysqlDataSource();
        ds.setURL("jdbc:mysql://" + mysql + "/");
        try {
            ds.setConnectTimeout((int) timeout.toMillis());
            // A slow SHOW SLAVE STATUS must not hang a probe forever; the statements of the setup take milliseconds.
            ds.setSocketTimeout(60_000);
            // TLS when mysqld offers it (so the password is not sent in clear text), plain otherwise (MariaDB default).
            ds.setSslMode("PREFERRED");
            // caching_sha2_password over a plain connection needs the server's RSA key.
            ds.setAllowPublicKeyRetrieval(true);
            ds.setConnectionAttributes("program_name:mysql-statefulset-agent");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("the MySQL driver refused a connection property: " + e.getMessage(), e);
        }
        return ds;
    }
}
