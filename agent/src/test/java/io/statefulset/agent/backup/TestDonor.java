package io.statefulset.agent.backup;

import io.statefulset.agent.http.AgentServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.statefulset.agent.health.JdbcTestProbe;
import io.statefulset.agent.health.MysqlProbe;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.secret.Secret;
import io.statefulset.agent.common.secret.SecretSource;
import io.statefulset.agent.common.tls.TlsFiles;
import io.statefulset.agent.serve.ServeOptions;
import io.statefulset.agent.serve.Sidecar;
import io.statefulset.agent.common.identity.PodIdentity;
import io.statefulset.agent.testing.DatabaseServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** A real {@link AgentServer} in front of a test's real mariadbd, on a free loopback port. */
final class TestDonor implements AutoCloseable {
    final AgentServer server;
    final PrometheusMeterRegistry registry;
    final Path scratchParent;

    private TestDonor(AgentServer server, PrometheusMeterRegistry registry, Path scratchParent) {
        this.server = server;
        this.registry = registry;
        this.scratchParent = scratchParent;
    }

    static Builder on(DatabaseServer db, Path scratchParent) {
        return new Builder(db, scratchParent);
    }

    int port() {
        return server.port();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    /** What the donor's bytes counter says it has sent so far. */
    double bytesSent() {
        return registry.get("mysql.agent.backup.bytes").counter().count();
    }

    /** Backup scratch dirs left in the TMPDIR the server was given. */
    List<Path> scratchDirs() throws IOException {
        try (Stream<Path> s = Files.list(scratchParent)) {
            return s.filter(p -> p.getFileName().toString().startsWith(BackupScratch.PREFIX) && Files.isDirectory(p)).toList();
        }
    }

    @Override
    public void close() {
        server.close();
    }

    static final class Builder {
        private final DatabaseServer db;
        private final Path scratchParent;
        private String hostname = "mysql-0";
        private Optional<SecretSource> token = Optional.empty();
        private String user = "root";
        private Optional<SecretSource> password = Optional.empty();
        private boolean rawStream = false;
        private Duration sendStallTimeout = Duration.ofSeconds(60);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private int maxConnections = 512;
        private Duration tokenGrace = Duration.ofMinutes(10);
        private TlsFiles tls = new TlsFiles(Optional.empty(), Optional.empty(), Optional.empty());
        private int mysqlPort;
        private MysqlProbe probe;
        private String backupTool = "mariadb-backup";
        private WireCompression compression = new WireCompression(WireCompression.Mode.AUTO, WireCompression.DEFAULT_ZSTD_LEVEL);
        private long maxRate;
        private int parallel = 1;

        private Builder(DatabaseServer db, Path scratchParent) {
            this.db = db;
            this.scratchParent = scratchParent;
            this.mysqlPort = db.port();
            this.probe = new JdbcTestProbe(db);
        }

        Builder hostname(String h) { hostname = h; return this; }
        /** The token in a file of the scratch dir, read as serve reads --token-file. */
        Builder token(String t) throws IOException {
            Path file = Files.createTempFile(scratchParent, "token-", "");
            Files.writeString(file, t + "\n");
            return tokenFile(file);
        }
        Builder tokenFile(Path file) { token = Optional.of(SecretSource.file(file, "the /backup token")); return this; }
        Builder tokenGrace(Duration d) { tokenGrace = d; return this; }
        Builder passwordFile(String u, Path file) { user = u; password = Optional.of(SecretSource.file(file, "the mysql password")); return this; }
        Builder user(String u, String pw) { user = u; password = Optional.of(SecretSource.fixed(Secret.of(pw, "test"))); return this; }
        /** The tutorial's raw stream for silent clients (--legacy-raw-stream). */
        Builder rawStream(boolean on) { rawStream = on; return this; }
        Builder sendStallTimeout(Duration d) { sendStallTimeout = d; return this; }
        Builder requestTimeout(Duration d) { requestTimeout = d; return this; }
        Builder maxConnections(int n) { maxConnections = n; return this; }
        Builder tls(TlsFiles files) { tls = files; rawStream = false; return this; }
        Builder mysqlPort(int p) { mysqlPort = p; return this; }
        Builder probe(MysqlProbe p) { probe = p; return this; }
        Builder backupTool(String t) { backupTool = t; return this; }
        Builder compression(WireCompression.Mode m) { compression = new WireCompression(m, WireCompression.DEFAULT_ZSTD_LEVEL); return this; }
        Builder maxRate(long bytesPerSecond) { maxRate = bytesPerSecond; return this; }
        Builder parallel(int n) { parallel = n; return this; }

        TestDonor start() throws IOException {
            ServeOptions options = new ServeOptions(PodIdentity.fromHostname(hostname, "mysql"), db.dataDir(),
                    new HostPort("127.0.0.1", 3307), new HostPort("127.0.0.1", mysqlPort), user, password,
                    new HostPort("mysql-0.mysql", 3306), user, password, backupTool, token, tokenGrace, tls,
                    Duration.ofSeconds(60), Duration.ofSeconds(30), rawStream, Duration.ofMillis(500), sendStallTimeout,
                    requestTimeout, maxConnections, compression, maxRate, parallel,
                    new io.statefulset.agent.cloneplugin.ClonePluginSettings(io.statefulset.agent.clone.CloneMethod.XBSTREAM, java.util.List.of(), "root", Optional.empty(), Duration.ofMinutes(10), Duration.ofSeconds(60), 3, Duration.ofSeconds(5), 0, 0, false, java.nio.file.Path.of("/etc/mysql/conf.d")));
            Map<String, String> env = new HashMap<>(System.getenv());
            env.put("TMPDIR", scratchParent.toString());
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            AgentServer server = Sidecar.startServer(options, probe, registry, env, new InetSocketAddress("127.0.0.1", 0));
            return new TestDonor(server, registry, scratchParent);
        }
    }
}
