package io.statefulset.agent.flow;

import io.statefulset.agent.xbstream.XbstreamExtractor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.MySQLContainer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * Percona XtraBackup from Percona's image ({@code percona/percona-xtrabackup}), one short-lived container per
 * command, beside the MySQL containers of a test. Each container runs to its exit and counts as done only with exit
 * code 0 (Testcontainers' one-shot startup check, no sleeps); otherwise the failure carries the end of the tool's
 * output.
 */
final class XtrabackupImage {
    /** Where the backup container leaves the stream; copied out after the container exited. */
    private static final String STREAM = "/tmp/backup.xbstream";
    private static final String CLIENT_CNF = "/tmp/client.cnf";
    /** The data of a fresh server takes seconds; the limit only keeps a hung tool from hanging the build. */
    private static final Duration RUN_LIMIT = Duration.ofMinutes(5);
    private static final int LOG_TAIL_CHARS = 4000;

    private final DockerImageName image;

    XtrabackupImage(String image) {
        this.image = DockerImageName.parse(image);
    }

    /**
     * Backs {@code source} up with {@code xtrabackup --backup --slave-info --stream=xbstream}, as {@code serve} runs
     * it, and extracts the stream into {@code target} with the agent's {@link XbstreamExtractor}.
     *
     * <p>xtrabackup copies the data files itself, so it needs the source's data dir at the server's own path: the
     * container mounts the source container's volume ({@code /var/lib/mysql}, declared by the mysql image) read-only,
     * the way Percona documents it ({@code docker run --volumes-from ... --user root}). Root, because the files
     * belong to the mysql user (uid 999) with mode 0640. The SQL side goes over the network to {@code sourceAlias}.
     * The stream goes to a file inside the container and is copied out once xtrabackup exited: the Docker log
     * stream is no way to carry binary data (the json-file log driver stores lines of text).
     *
     * @return stream bytes extracted
     */
    long backupInto(MySQLContainer<?> source, String sourceAlias, Path target) {
        // The password travels in a defaults file given as the first option, as serve passes it (never argv).
        String clientCnf = "[client]\npassword=\"" + source.getPassword() + "\"\n";
        String script = "mkdir -p /tmp/xb-target /tmp/xb-tmp && exec xtrabackup --defaults-extra-file=" + CLIENT_CNF
                + " --backup --slave-info --stream=xbstream --datadir=/var/lib/mysql"
                + " --host=" + sourceAlias + " --port=3306 --user=root"
                + " --target-dir=/tmp/xb-target --tmpdir=/tmp/xb-tmp > " + STREAM;
        try (GenericContainer<?> backup = oneShot("0:0", "bash", "-c", script)
                .withNetwork(source.getNetwork())
                .withVolumesFrom(source, BindMode.READ_ONLY)
                .withCopyToContainer(Transferable.of(clientCnf, 0600), CLIENT_CNF)) {
            runToExit(backup, "xtrabackup --backup of " + sourceAlias);
            // docker cp works on an exited container; Testcontainers hands over the file's bytes out of the tar.
            return backup.copyFileFromContainer(STREAM, stream -> extract(stream, target));
        }
    }

    /**
     * {@code xtrabackup --prepare} on {@code dataDir}, bind-mounted read-write. The container runs as the directory's
     * owner (see {@link HostUser}): the extracted files are the JVM's (0640, directories 0750), and what prepare
     * writes must stay the JVM's too.
     */
    void prepare(Path dataDir) throws IOException {
        HostUser owner = HostUser.owning(dataDir);
        try (GenericContainer<?> prepare = oneShot(owner.docker(), "xtrabackup", "--prepare", "--target-dir=/restore")
                .withFileSystemBind(dataDir.toString(), "/restore", BindMode.READ_WRITE)) {
            runToExit(prepare, "xtrabackup --prepare of " + dataDir);
        }
    }

    private GenericContainer<?> oneShot(String user, String... argv) {
        return new GenericContainer<>(image)
                // The process is exactly argv, whatever ENTRYPOINT the image declares now or later.
                .withCreateContainerCmdModifier(cmd -> cmd.withEntrypoint(argv[0]).withUser(user))
                .withCommand(Arrays.copyOfRange(argv, 1, argv.length))
                .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(RUN_LIMIT));
    }

    private static void runToExit(GenericContainer<?> container, String what) {
        try {
            container.start();
        } catch (ContainerLaunchException e) {
            throw new AssertionError(what + " did not exit with 0 (image " + container.getDockerImageName()
                    + "); the end of its output:\n" + tail(container), e);
        }
    }

    private static String tail(GenericContainer<?> container) {
        try {
            String logs = container.getLogs();
            return logs.length() > LOG_TAIL_CHARS ? "..." + logs.substring(logs.length() - LOG_TAIL_CHARS) : logs;
        } catch (RuntimeException e) {
            return "(no output: " + e + ")";
        }
    }

    /** Feeds the stream to the extractor in 1 MiB slices, as the clone's network side does; fails on an incomplete stream. */
    private static long extract(InputStream stream, Path target) throws IOException {
        try (XbstreamExtractor extractor = new XbstreamExtractor(target)) {
            byte[] chunk = new byte[1 << 20];
            ByteBuffer direct = ByteBuffer.allocateDirect(chunk.length);
            for (int n; (n = stream.read(chunk)) != -1; ) {
                direct.clear();
                direct.put(chunk, 0, n).flip();
                extractor.write(direct);
            }
            extractor.finish();
            return extractor.bytesConsumed();
        }
    }
}
