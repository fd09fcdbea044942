package io.statefulset.agent.cli;

import io.statefulset.agent.clone.CloneMethod;
import io.statefulset.agent.cloneplugin.ClonePluginSettings;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.identity.PodIdentity;
import io.statefulset.agent.init.InitCommand;
import io.statefulset.agent.init.InitOptions;
import io.statefulset.agent.common.protocol.BackupProtocol;
import io.statefulset.agent.common.secret.Secret;
import io.statefulset.agent.serve.ServeCommand;
import io.statefulset.agent.serve.ServeOptions;
import io.statefulset.agent.serve.StopSignal;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/** {@code java -jar agent.jar init|serve [flags]}. Exit codes: 0 done, 1 failed, 2 usage error. */
public final class Main {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    /** The port of a donor's mysqld, which the CLONE plugin connects to. */
    private static final int MYSQL_PORT = 3306;

    private Main() {}

    public static void main(String[] args) {
        // Peers come and go (a donor pod restarts with a new IP, a new pod's name appears): the JVM's default DNS
        // cache (30 s for answers, 10 s for "unknown host") would hide that. Must be set before the first lookup.
        java.security.Security.setProperty("networkaddress.cache.ttl", "5");
        java.security.Security.setProperty("networkaddress.cache.negative.ttl", "1");
        // slf4j-simple: one line per event with a timestamp, to stderr (kubectl logs shows both streams).
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
        System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
        // A connection broken by a restarting mysqld (a clone finishing, a probe during a restart) is expected; the
        // agent logs it in one line, the pool's stack trace would bury it.
        defaultProperty("org.slf4j.simpleLogger.log.com.zaxxer.hikari.pool.ProxyConnection", "error");
        // The sidecar's memory budget is the tutorial's 100Mi. Netty's pooled allocator defaults to 2 arenas per
        // core with 4 MiB chunks, sized for servers with thousands of connections; we serve one backup at a time.
        // One arena of 1 MiB chunks keeps the same throughput with a few MiB less resident memory. -D wins.
        defaultProperty("io.netty.allocator.numDirectArenas", "1");
        defaultProperty("io.netty.allocator.numHeapArenas", "1");
        defaultProperty("io.netty.allocator.maxOrder", "7");
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    private static void defaultProperty(String name, String value) {
        if (System.getProperty(name) == null) System.setProperty(name, value);
    }

    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return run(args, env, out, err, StopSignal.sigterm());
    }

    /** As {@link #run(String[], Map, PrintStream, PrintStream)}, with {@code serve} stopped by {@code serveStop}. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err, StopSignal serveStop) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            out.print(usage(null));
            return args.length == 0 ? USAGE : OK;
        }
        if (args[0].equals("--version") || args[0].equals("version")) {
            out.println("mysql-statefulset-agent " + version());
            return OK;
        }
        String mode = args[0];
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        if (!mode.equals("init") && !mode.equals("serve")) {
            err.println("unknown mode '" + mode + "': use `init` (init container) or `serve` (sidecar); see --help");
            return USAGE;
        }
        if (rest.contains("--help") || rest.contains("-h")) {
            out.print(usage(mode));
            return OK;
        }
        try {
            Flags flags = Flags.parse(mode, rest, env, FlagCatalog.ALL);
            return mode.equals("init")
                    ? new InitCommand(initOptions(flags, env), env).run()
                    : new ServeCommand(serveOptions(flags, env), env, serveStop).run();
        } catch (UsageException e) {
            err.println("usage error: " + e.getMessage());
            return USAGE;
        } catch (IllegalArgumentException e) {
            // Bad configuration found while resolving flags (hostname, secret file, backup tool): exit 1, not 2,
            // since the command line itself was well-formed.
            err.println("agent " + mode + " failed: " + e.getMessage());
            return FAILED;
        }
    }

    static InitOptions initOptions(Flags f, Map<String, String> env) throws UsageException {
        int attempts = f.integer("clone-attempts", 3);
        if (attempts < 1) throw new UsageException("--clone-attempts must be at least 1");
        return new InitOptions(
                hostname(f, env),
                f.value("service", "mysql"),
                f.integer("server-id-offset", 100),
                Path.of(f.value("config-map-dir", "/mnt/config-map")),
                Path.of(f.value("conf-dir", "/mnt/conf.d")),
                Path.of(f.value("data-dir", "/var/lib/mysql")),
                f.hostPorts("donor", BackupProtocol.DEFAULT_PORT),
                f.value("backup-tool", "auto"),
                f.path("token-file").map(Secret::fromFile),
                f.duration("donor-wait", Duration.ofMinutes(10)),
                f.duration("stall-timeout", Duration.ofSeconds(60)),
                attempts,
                f.duration("progress-interval", Duration.ofSeconds(5)),
                cloneMethod(f));
    }

    private static CloneMethod cloneMethod(Flags f) throws UsageException {
        try {
            return CloneMethod.parse(f.value("clone-method", "auto"));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--clone-method: " + e.getMessage());
        }
    }

    private static ClonePluginSettings clonePlugin(Flags f, Map<String, String> env, PodIdentity pod, String replicationUser, Optional<Secret> replicationPassword) throws UsageException {
        int attempts = f.integer("clone-attempts", 3);
        if (attempts < 1) throw new UsageException("--clone-attempts must be at least 1");
        int network = f.integer("clone-max-network-bandwidth", 0);
        int data = f.integer("clone-max-data-bandwidth", 0);
        if (network < 0 || data < 0) throw new UsageException("--clone-max-*-bandwidth are MiB/s: 0 (no cap) or more");
        List<HostPort> donors = f.hostPorts("clone-donor", MYSQL_PORT);
        if (donors.isEmpty()) donors = pod.defaultDonors(MYSQL_PORT);
        return new ClonePluginSettings(cloneMethod(f), donors, f.value("clone-user", replicationUser),
                Secret.resolve(f.path("clone-password-file"), env, "AGENT_CLONE_PASSWORD").or(() -> replicationPassword),
                f.duration("donor-wait", Duration.ofMinutes(10)), attempts, f.duration("progress-interval", Duration.ofSeconds(5)),
                network, data, f.bool("clone-require-ssl", false));
    }

    static ServeOptions serveOptions(Flags f, Map<String, String> env) throws UsageException {
        String service = f.value("service", "mysql");
        PodIdentity pod = PodIdentity.fromHostname(hostname(f, env), service);
        Optional<Secret> mysqlPassword = Secret.resolve(f.path("mysql-password-file"), env, "MYSQL_PASSWORD");
        Optional<Secret> replicationPassword = Secret.resolve(f.path("replication-password-file"), env, "AGENT_REPLICATION_PASSWORD")
                .or(() -> mysqlPassword);
        String mysqlUser = f.value("mysql-user", "root");
        String replicationUser = f.value("replication-user", mysqlUser);
        return new ServeOptions(
                pod,
                Path.of(f.value("data-dir", "/var/lib/mysql")),
                f.hostPort("listen", new HostPort("0.0.0.0", BackupProtocol.DEFAULT_PORT)),
                new HostPort(f.value("mysql-host", "127.0.0.1"), f.integer("mysql-port", MYSQL_PORT)),
                mysqlUser,
                mysqlPassword,
                new HostPort(f.value("source-host", pod.primaryHost()), f.integer("source-port", MYSQL_PORT)),
                replicationUser,
                replicationPassword,
                f.value("backup-tool", "auto"),
                f.path("token-file").map(Secret::fromFile),
                f.duration("max-lag", Duration.ofSeconds(60)),
                f.duration("mysql-wait", Duration.ofMinutes(10)),
                f.duration("legacy-wait", Duration.ofMillis(500)),
                clonePlugin(f, env, pod, replicationUser, replicationPassword));
    }

    private static String hostname(Flags f, Map<String, String> env) {
        Optional<String> v = f.value("hostname").or(() -> Optional.ofNullable(env.get("HOSTNAME")));
        if (v.isPresent() && !v.get().isBlank()) return v.get().trim();
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot determine the hostname (" + e.getMessage() + "): pass --hostname <sts>-<ordinal>");
        }
    }

    static String version() {
        try (InputStream in = Main.class.getResourceAsStream("/agent-version.properties")) {
            Properties p = new Properties();
            if (in != null) p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    static String usage(String mode) {
        StringBuilder sb = new StringBuilder();
        sb.append("mysql-statefulset-agent ").append(version()).append("\n\n");
        sb.append("usage: java -jar agent.jar init|serve [flags]   (every --flag also as env AGENT_FLAG)\n");
        sb.append("       java -jar agent.jar --version | --help | <mode> --help\n\n");
        sb.append("  init   init container: server-id + role config, then clone a replica's empty data dir from a peer\n");
        sb.append("  serve  sidecar: set replication up once, serve backups, /healthz /readyz /metrics on --listen\n\n");
        sb.append("Passwords: env MYSQL_PASSWORD / AGENT_REPLICATION_PASSWORD or --*-password-file; never argv.\n");
        sb.append("Exit codes: 0 done, 1 failed (the message says why), 2 usage error.\n");
        for (String m : mode == null ? List.of("init", "serve") : List.of(mode)) {
            sb.append("\n").append(m).append(" flags:\n");
            for (FlagSpec s : FlagCatalog.ALL) {
                if (!s.modes().contains(m)) continue;
                sb.append(String.format("  --%-26s %s%n      default: %s; env %s%n", s.name() + (s.repeatable() ? " (+)" : ""),
                        s.help(), s.defaultText(), s.envName()));
            }
        }
        return sb.toString();
    }
}
