package io.statefulset.agent.flow;

import io.statefulset.agent.cli.Main;
import io.statefulset.agent.testing.DatabaseServer;
import io.statefulset.agent.testing.DatabaseServerExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One StatefulSet pod on this machine: its volumes (config map, conf.d, data dir, a private TMPDIR) in a temp dir,
 * {@code agent init} and {@code agent serve} run through the CLI, and mariadbd started the way the pod's mysql
 * container starts it: on the data dir init prepared, with the options init wrote to conf.d.
 */
final class Pod {
    /** The tutorial's config map, in MariaDB's words (MariaDB has read_only but no super_read_only). */
    static final String PRIMARY_CNF = "[mysqld]\nlog-bin=mysql-bin\n";
    static final String REPLICA_CNF = "[mysqld]\nread-only=1\n";

    final String hostname;
    final Path base;
    final Path configMap;
    final Path conf;
    final Path data;
    final Path tmp;

    private Pod(String hostname, Path base) throws IOException {
        this.hostname = hostname;
        this.base = base;
        this.configMap = Files.createDirectories(base.resolve("config-map"));
        this.conf = Files.createDirectories(base.resolve("conf.d"));
        this.data = Files.createDirectories(base.resolve("volume").resolve("mysql"));
        this.tmp = Files.createDirectories(base.resolve("tmp"));
        Files.writeString(configMap.resolve("primary.cnf"), PRIMARY_CNF);
        Files.writeString(configMap.resolve("replica.cnf"), REPLICA_CNF);
    }

    static Pod create(String hostname, DatabaseServerExtension servers) throws Exception {
        return new Pod(hostname, servers.tempDir(hostname + "-"));
    }

    static Pod create(String hostname, Path base) throws IOException {
        return new Pod(hostname, base);
    }

    /** The agent's environment: this JVM's, with a private TMPDIR and no AGENT_* or password leaking in. */
    Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        System.getenv().forEach((k, v) -> {
            if (!k.startsWith("AGENT_") && !k.equals("MYSQL_PASSWORD") && !k.equals("HOSTNAME")) env.put(k, v);
        });
        env.put("TMPDIR", tmp.toString());
        return env;
    }

    /** {@code agent init} with this pod's volumes and short test deadlines; more flags (a donor) from the caller. */
    Result init(String... flags) {
        List<String> args = new ArrayList<>(List.of("init", "--hostname", hostname, "--config-map-dir", configMap.toString(),
                "--conf-dir", conf.toString(), "--data-dir", data.toString(), "--donor-wait", "10s", "--stall-timeout", "30s",
                "--clone-attempts", "1", "--progress-interval", "1s"));
        args.addAll(List.of(flags));
        return Result.of(args, env());
    }

    /** mariadbd on the data dir, with every {@code [mysqld]} option init left in conf.d (server-id, report_host, role). */
    DatabaseServer startMysqld(DatabaseServerExtension servers) throws Exception {
        List<String> options = mysqldOptions();
        int serverId = options.stream().filter(o -> o.startsWith("--server-id=")).map(o -> Integer.parseInt(o.substring(12)))
                .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("init wrote no server-id to " + conf));
        return servers.startOn(data, serverId, options.toArray(String[]::new));
    }

    /**
     * conf.d as mysqld reads it through {@code !includedir}: every {@code *.cnf} in name order, {@code [mysqld]}
     * lines as {@code --name=value} (the test servers run with --no-defaults, so options come on the command line).
     */
    List<String> mysqldOptions() throws IOException {
        List<String> options = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(conf)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".cnf")).sorted().toList();
        }
        for (Path file : files) {
            boolean mysqld = false;
            for (String raw : Files.readAllLines(file)) {
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) continue;
                if (line.startsWith("[")) {
                    mysqld = line.equals("[mysqld]");
                } else if (mysqld) {
                    options.add("--" + line.replaceAll("\\s*=\\s*", "="));
                }
            }
        }
        return options;
    }

    /**
     * {@code agent serve} for this pod: the local mysqld, this data dir, replication from {@code sourcePort} on
     * 127.0.0.1 (a replica; the primary ignores it).
     */
    InProcessServe serve(DatabaseServer local, int sourcePort, String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("--hostname", hostname, "--mysql-port", Integer.toString(local.port()),
                "--data-dir", data.toString(), "--source-host", "127.0.0.1", "--source-port", Integer.toString(sourcePort),
                "--mysql-wait", "30s"));
        args.addAll(List.of(flags));
        return InProcessServe.start(DatabaseServer.freePort(), env(), args.toArray(String[]::new));
    }

    /** {@link #serve}, returned once its /readyz answers 200 within {@code timeout} (stopped if it does not). */
    InProcessServe readyServe(DatabaseServer local, int sourcePort, Duration timeout, String... flags) throws Exception {
        InProcessServe serve = serve(local, sourcePort, flags);
        try {
            serve.awaitStatus("/readyz", 200, timeout);
            return serve;
        } catch (Exception | Error e) {
            serve.close();
            throw e;
        }
    }

    /** Top-level names in the data dir, sorted. */
    List<String> dataDirEntries() throws IOException {
        try (Stream<Path> s = Files.list(data)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** An exit code and what the command printed on its own streams (logs go to System.err: see LogCapture). */
    record Result(int exitCode, String out, String err) {
        static Result of(List<String> args, Map<String, String> env) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code;
            try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                 PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
                code = Main.run(args.toArray(String[]::new), env, o, e);
            }
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }
}
