package io.statefulset.agent.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One isolated instance of {@code bin/local-cluster}: its own base dir, instance name (netns and link names), subnet
 * or port range, so tests never touch a user's cluster. Every command goes through the tool, as a user would type
 * it; the tests then look at the pods from outside (SQL, HTTP, files).
 */
final class LocalCluster implements AutoCloseable {
    enum Mode { NETNS, LOOPBACK }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path tool;
    private final Path baseDir;
    private final Mode mode;
    private final String password;
    private final Map<String, String> env = new HashMap<>();

    private LocalCluster(Path tool, Path jar, Path baseDir, String name, Mode mode, String password) {
        this.tool = tool;
        this.baseDir = baseDir;
        this.mode = mode;
        this.password = password;
        env.put("LOCAL_CLUSTER_DIR", baseDir.toString());
        env.put("LOCAL_CLUSTER_NAME", name);
        env.put("LOCAL_CLUSTER_MODE", mode == Mode.NETNS ? "netns" : "loopback");
        env.put("LOCAL_CLUSTER_JAR", jar.toString());
        env.put("LOCAL_CLUSTER_READY_TIMEOUT", "150");
        if (mode == Mode.NETNS) env.put("LOCAL_CLUSTER_SUBNET", freeSubnet());
        else env.put("LOCAL_CLUSTER_PORT_BASE", Integer.toString(freePortBase()));
        if (!password.isEmpty()) env.put("MYSQL_PASSWORD", password);
    }

    /** netns when running as root (as CI does), loopback ports otherwise. */
    static Mode preferredMode() {
        return isRoot() ? Mode.NETNS : Mode.LOOPBACK;
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    static LocalCluster create(String label, Mode mode) {
        return create(label, mode, "");
    }

    static LocalCluster create(String label, Mode mode, String password) {
        Path tool = Path.of(System.getProperty("local.cluster.tool", "../bin/local-cluster")).toAbsolutePath().normalize();
        Path jar = Path.of(System.getProperty("agent.jar", "target/agent.jar")).toAbsolutePath().normalize();
        if (!Files.isExecutable(tool)) throw new IllegalStateException("no executable " + tool + " (system property local.cluster.tool)");
        if (!Files.isRegularFile(jar)) throw new IllegalStateException("no " + jar + ": the e2e tests run in `mvn verify`, after package built it");
        String id = Long.toString(Math.abs(RANDOM.nextLong()) % 1_000_000L, 36);
        Path base = Path.of(System.getProperty("java.io.tmpdir"), "lc-it-" + label + "-" + id);
        return new LocalCluster(tool, jar, base, "t" + id, mode, password);
    }

    Mode mode() {
        return mode;
    }

    Path baseDir() {
        return baseDir;
    }

    String name() {
        return env.get("LOCAL_CLUSTER_NAME");
    }

    String subnet() {
        return env.get("LOCAL_CLUSTER_SUBNET");
    }

    // ---- the tool ---------------------------------------------------------------------------------------------

    record Result(int exitCode, String output) {}

    /** Runs {@code bin/local-cluster args...} to completion (stdout+stderr merged). */
    Result run(Duration timeout, Map<String, String> extraEnv, String... args) {
        Path out = null;
        try {
            out = Files.createTempFile("lc-it-out-", ".txt");
            Process p = start(out, extraEnv, args);
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("bin/local-cluster " + String.join(" ", args) + " did not finish in "
                        + timeout.toSeconds() + " s; its output:\n" + Files.readString(out) + "\n" + diagnostics());
            }
            return new Result(p.exitValue(), Files.readString(out));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } finally {
            if (out != null) out.toFile().delete();
        }
    }

    /** Runs the tool and fails the test, with its output and the pods' logs, unless it exits 0. */
    String ok(String... args) {
        return okWith(Map.of(), args);
    }

    String okWith(Map<String, String> extraEnv, String... args) {
        Result r = run(Duration.ofMinutes(5), extraEnv, args);
        if (r.exitCode() != 0) {
            throw new AssertionError("bin/local-cluster " + String.join(" ", args) + " exited " + r.exitCode()
                    + ":\n" + r.output() + "\n" + diagnostics());
        }
        return r.output();
    }

    /** Starts the tool in the background, output to {@code out}; for commands a test interferes with while they run. */
    Process start(Path out, Map<String, String> extraEnv, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(tool.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(env);
        pb.environment().putAll(extraEnv);
        return pb.start();
    }

    /** mysql-0..count-1. */
    List<Pod> pods(int count) {
        List<Pod> pods = new ArrayList<>();
        for (int n = 0; n < count; n++) pods.add(pod(n));
        return pods;
    }

    Pod pod(int ordinal) {
        return podIfCreated(ordinal).orElseThrow(() -> new AssertionError("mysql-" + ordinal + " does not exist\n" + diagnostics()));
    }

    /** The pod, once the tool has created it (a scale-up in progress creates pods one by one). */
    Optional<Pod> podIfCreated(int ordinal) {
        Result r = run(Duration.ofSeconds(30), Map.of(), "env", Integer.toString(ordinal));
        if (r.exitCode() != 0) return Optional.empty();
        Map<String, String> kv = r.output().lines()
                .filter(l -> l.contains("="))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1), (a, b) -> b));
        return Optional.of(new Pod(ordinal, kv.get("HOST"), Integer.parseInt(kv.get("MYSQL_PORT")), Integer.parseInt(kv.get("AGENT_PORT")),
                Path.of(kv.get("DATA_DIR")), Path.of(kv.get("LOG_DIR")), password));
    }

    /** The peer address pod {@code ordinal} is known by to other pods: its DNS name in netns mode. */
    String peerName(int ordinal, int port) {
        return mode == Mode.NETNS ? "mysql-" + ordinal + ".mysql:" + port : "127.0.0.1:" + port;
    }

    /** The status table and the tail of every log: what a person would look at first. */
    String diagnostics() {
        if (!Files.exists(baseDir)) return "(cluster " + baseDir + " is gone)";
        StringBuilder sb = new StringBuilder("---- bin/local-cluster status ----\n");
        Result status = run(Duration.ofSeconds(60), Map.of(), "status");
        sb.append(status.output());
        Result logs = run(Duration.ofSeconds(60), Map.of("LINES_PER_LOG", "40"), "logs");
        sb.append("---- bin/local-cluster logs (last 40 lines each) ----\n").append(logs.output());
        return sb.toString();
    }

    // ---- teardown ---------------------------------------------------------------------------------------------

    Result down() {
        return run(Duration.ofMinutes(2), Map.of(), "down");
    }

    @Override
    public void close() {
        if (Files.exists(baseDir)) down();
    }

    /** What of this instance is still there: netns, links, processes naming the base dir, the base dir itself. */
    List<String> leftovers() throws IOException, InterruptedException {
        List<String> left = new ArrayList<>();
        if (Files.exists(baseDir)) left.add("dir " + baseDir);
        if (mode == Mode.NETNS) {
            for (String ns : command("ip", "netns", "list").lines().toList()) {
                if (ns.startsWith(name() + "-")) left.add("netns " + ns);
            }
            for (String link : command("ip", "-o", "link", "show").lines().toList()) {
                String dev = link.split(":\\s+", 3)[1].split("@")[0];
                if (dev.startsWith(name() + "-")) left.add("link " + dev);
            }
        }
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("[0-9]+")).toList()) {
                try {
                    String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                    if (cmdline.contains(baseDir.toString())) left.add("process " + proc.getFileName() + ": " + cmdline.strip());
                } catch (IOException gone) {
                    // the process exited while we looked
                }
            }
        }
        return left;
    }

    // ---- isolation: a free subnet or port range ---------------------------------------------------------------

    private static String freeSubnet() {
        String used;
        try {
            used = command("ip", "-4", "-o", "addr", "show") + command("ip", "-4", "route", "show");
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("cannot list addresses with `ip`: " + e, e);
        }
        Set<String> taken = used.lines().flatMap(l -> Stream.of(l.split("\\s+")))
                .filter(w -> w.matches("[0-9.]+(/[0-9]+)?")).map(w -> w.replaceAll("\\.[0-9]+(/[0-9]+)?$", ""))
                .collect(Collectors.toSet());
        int start = 1 + RANDOM.nextInt(250);
        for (int i = 0; i < 250; i++) {
            String candidate = "10.79." + (1 + (start + i) % 250);
            if (!taken.contains(candidate)) return candidate;
        }
        throw new IllegalStateException("no free 10.79.x.0/24 subnet on this machine");
    }

    private static int freePortBase() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 20000 + 100 * RANDOM.nextInt(300);
            if (portsFree(base, base + 80)) return base;
        }
        throw new IllegalStateException("no free range of 80 loopback ports between 20000 and 50000");
    }

    private static boolean portsFree(int from, int to) {
        for (int port = from; port < to; port++) {
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                s.setReuseAddress(true);
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    static String command(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }
}
