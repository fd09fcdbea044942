package io.statefulset.agent.config;

import io.statefulset.agent.common.fs.AtomicFile;
import io.statefulset.agent.common.identity.PodIdentity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the tutorial's init-mysql container does: {@code server-id.cnf} for this pod, plus the role's cnf
 * ({@code primary.cnf} on ordinal 0, {@code replica.cnf} elsewhere) copied from the ConfigMap into the conf dir
 * that mysqld includes.
 */
public final class MysqldConfig {
    public static final String PRIMARY_CNF = "primary.cnf";
    public static final String REPLICA_CNF = "replica.cnf";
    private static final Logger log = LoggerFactory.getLogger(MysqldConfig.class);

    private final Path configMapDir;
    private final Path confDir;

    public MysqldConfig(Path configMapDir, Path confDir) {
        this.configMapDir = configMapDir;
        this.confDir = confDir;
    }

    /** @return the role file that was copied ({@code primary.cnf} or {@code replica.cnf}) */
    public String apply(PodIdentity pod, int serverIdOffset) throws IOException {
        ServerIdCnf serverId = ServerIdCnf.of(pod, serverIdOffset);
        String role = pod.isPrimary() ? PRIMARY_CNF : REPLICA_CNF;
        Path source = configMapDir.resolve(role);
        byte[] roleCnf;
        try {
            roleCnf = Files.readAllBytes(source);
        } catch (NoSuchFileException e) {
            throw new IOException(source + " does not exist: " + pod.podName() + " is "
                    + (pod.isPrimary() ? "the primary" : "a replica") + " and needs it; check the ConfigMap (keys "
                    + PRIMARY_CNF + ", " + REPLICA_CNF + ") and that it is mounted at --config-map-dir " + configMapDir, e);
        }
        try {
            Files.createDirectories(confDir);
            AtomicFile.write(confDir.resolve(ServerIdCnf.FILE_NAME), serverId.render().getBytes(StandardCharsets.UTF_8));
            AtomicFile.write(confDir.resolve(role), roleCnf);
        } catch (IOException e) {
            throw new IOException("cannot write mysqld config into --conf-dir " + confDir + ": " + e.getMessage()
                    + " (check that the volume is mounted and writable)", e);
        }
        log.info("wrote {}/{} (server-id={}, report_host={}) and copied {} ({} bytes) from {}", confDir,
                ServerIdCnf.FILE_NAME, serverId.serverId(), serverId.reportHost(), role, roleCnf.length, configMapDir);
        return role;
    }
}
