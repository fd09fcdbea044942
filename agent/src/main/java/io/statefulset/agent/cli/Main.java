package io.statefulset.agent.cli;

import io.statefulset.agent.cloneplugin.ClonePluginSettings;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.identity.PodIdentity;
import io.statefulset.agent.init.InitCommand;
import io.statefulset.agent.init.InitOptions;
import io.statefulset.agent.common.secret.Secret;
import io.statefulset.agent.backup.WireCompression;
import io.statefulset.agent.common.secret.SecretSource;
import io.statefulset.agent.common.tls.TlsFiles;
import io.statefulset.agent.serve.ServeCommand;
import io.statefulset.agent.serve.ServeOptions;
import io.statefulset.agent.serve.StopSignal;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import picocli.CommandLine;

/** {@code java -jar agent.jar init|serve [flags]}. Exit codes: 0 done, 1 failed, 2 usage error. */
public final class Main {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

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
        if (args[0].equals("completion")) {
            out.print(FlagCatalog.bashCompletion());
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
            CommandLine parsed = FlagCatalog.parse(mode, rest, env);
            return mode.equals("init")
                    ? new InitCommand(initOptions(parsed.getCommand(), env), env).run()
                    : new ServeCommand(serveOptions(parsed.getCommand(), env), env, serveStop).run();
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

    static InitOptions initOptions(InitFlags f, Map<String, String> env) throws UsageException {
        return new InitOptions(
                hostname(f.shared, env),
                f.shared.service,
                f.serverIdOffset,
                f.configMapDir,
                f.confDir,
                f.shared.dataDir,
                f.donors,
                f.shared.backupTool,
                f.shared.tokenFile().map(Secret::fromFile),
                initTls(f.shared.tls()),
                f.rounds.donorWait,
                f.rounds.stallTimeout,
                f.rounds.attempts(),
                f.rounds.progressInterval,
                f.rebuildPrimary,
                f.rebuildWait,
                f.rounds.cloneMethod);
    }

    private static Optional<TlsFiles> initTls(TlsFiles tls) throws UsageException {
        if (tls.ca().isEmpty()) {
            if (tls.presentsCertificate()) {
                throw new UsageException("init with --tls-cert-file needs --tls-ca-file to verify the donor's certificate");
            }
            return Optional.empty();
        }
        return Optional.of(tls);
    }

    static ServeOptions serveOptions(ServeFlags f, Map<String, String> env) throws UsageException {
        if (f.maxRate < 0) throw new UsageException("--max-rate must not be negative, got " + f.maxRate);
        if (f.backupParallel < 1) throw new UsageException("--backup-parallel must be at least 1, got " + f.backupParallel);
        WireCompression compression;
        try {
            compression = new WireCompression(WireCompression.parseMode(f.compression), f.compressionLevel);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        PodIdentity pod = PodIdentity.fromHostname(hostname(f.shared, env), f.shared.service);
        Optional<SecretSource> mysqlPassword = SecretSource.resolve(Optional.ofNullable(f.mysqlPasswordFile), env,
                "MYSQL_PASSWORD", "the mysql password");
        Optional<SecretSource> replicationPassword = SecretSource.resolve(Optional.ofNullable(f.replicationPasswordFile), env,
                "AGENT_REPLICATION_PASSWORD", "the replication password").or(() -> mysqlPassword);
        String replicationUser = f.replicationUser != null ? f.replicationUser : f.mysqlUser;
        return new ServeOptions(
                pod,
                f.shared.dataDir,
                f.listen,
                new HostPort(f.mysqlHost, f.mysqlPort),
                f.mysqlUser,
                mysqlPassword,
                new HostPort(f.sourceHost != null ? f.sourceHost : pod.primaryHost(), f.sourcePort),
                replicationUser,
                replicationPassword,
                f.shared.backupTool,
                f.shared.tokenFile().map(p -> SecretSource.file(p, "the /backup token")),
                f.tokenGrace,
                f.shared.tls(),
                f.maxLag,
                f.mysqlWait,
                f.legacyRawStream,
                f.legacyWait,
                f.sendStallTimeout,
                f.requestTimeout,
                f.maxConnections,
                compression,
                f.maxRate,
                f.backupParallel,
                clonePlugin(f, env, pod, replicationUser, replicationPassword));
    }

    private static ClonePluginSettings clonePlugin(ServeFlags f, Map<String, String> env, PodIdentity pod, String replicationUser,
                                                   Optional<SecretSource> replicationPassword) throws UsageException {
        if (f.cloneMaxNetworkBandwidth < 0 || f.cloneMaxDataBandwidth < 0) {
            throw new UsageException("--clone-max-network-bandwidth / --clone-max-data-bandwidth are MiB/s: 0 (no cap) or more");
        }
        List<HostPort> donors = f.cloneDonors.isEmpty() ? pod.defaultDonors(MysqlPortConverter.MYSQL_PORT) : f.cloneDonors;
        return new ClonePluginSettings(f.rounds.cloneMethod, donors, f.cloneUser != null ? f.cloneUser : replicationUser,
                Secret.resolve(Optional.ofNullable(f.clonePasswordFile), env, "AGENT_CLONE_PASSWORD")
                        .or(() -> replicationPassword.map(SecretSource::current)),
                f.rounds.donorWait, f.rounds.stallTimeout, f.rounds.attempts(), f.rounds.progressInterval, f.cloneMaxNetworkBandwidth,
                f.cloneMaxDataBandwidth, f.cloneRequireSsl, f.confDir);
    }

    private static String hostname(SharedFlags f, Map<String, String> env) {
        Optional<String> v = Optional.ofNullable(f.hostname).or(() -> Optional.ofNullable(env.get("HOSTNAME")));
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
        sb.append("       java -jar agent.jar --version | --help | <mode> --help | completion (bash completion script)\n\n");
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
