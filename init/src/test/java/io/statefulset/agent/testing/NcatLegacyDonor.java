package io.statefulset.agent.testing;

import io.statefulset.agent.common.identity.HostPort;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The tutorial's xtrabackup sidecar, literally: {@code ncat --listen --keep-open --send-only -c "<backup tool>
 * --backup --stream=xbstream ..."}, which answers every connection with a fresh raw backup of {@code db}.
 */
public final class NcatLegacyDonor implements AutoCloseable {
    private final Process ncat;
    private final int port;

    private NcatLegacyDonor(Process ncat, int port) {
        this.ncat = ncat;
        this.port = port;
    }

    public static NcatLegacyDonor start(MariaDb db, Path backupLog) throws IOException, InterruptedException {
        int port = MariaDb.freePort();
        String backup = BackupStream.command(db).stream().collect(Collectors.joining(" ")) + " 2>>" + backupLog;
        Process p = new ProcessBuilder(List.of("ncat", "-v", "--listen", "--keep-open", "--send-only", "--max-conns=1",
                "127.0.0.1", Integer.toString(port), "-c", backup)).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        // Probing the port would start a backup: wait for ncat to say it listens instead.
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = err.readLine()) != null) {
            if (line.contains("Listening on")) break;
        }
        if (line == null) {
            p.destroyForcibly();
            throw new IllegalStateException("ncat did not start listening on port " + port);
        }
        Thread drain = new Thread(() -> err.lines().forEach(l -> { }), "ncat-stderr");
        drain.setDaemon(true);
        drain.start();
        return new NcatLegacyDonor(p, port);
    }

    public HostPort address() {
        return new HostPort("127.0.0.1", port);
    }

    /** Kills ncat and whatever backup it runs, like a pod being deleted. */
    @Override
    public void close() throws InterruptedException {
        ncat.descendants().forEach(ProcessHandle::destroyForcibly);
        ncat.destroyForcibly();
        ncat.waitFor(10, TimeUnit.SECONDS);
    }
}
