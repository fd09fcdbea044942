package io.statefulset.agent.flow;

import io.statefulset.agent.testing.MariaDb;
import io.statefulset.agent.testing.MariaDbExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Pod {@code mysql-0}, shared by the tests of a class: a real mariadbd holding {@link AppTable} rows, and
 * {@code agent serve} beside it (through the CLI, in this JVM).
 */
final class Primary implements AutoCloseable {
    final Path base;
    final MariaDb db;
    final Pod pod;
    InProcessServe serve;

    private Primary(Path base, MariaDb db, Pod pod) {
        this.base = base;
        this.db = db;
        this.pod = pod;
    }

    /** A seeded primary with serve running with {@code serveFlags}. */
    static Primary start(int rows, String... serveFlags) throws Exception {
        Primary p = startWithoutServe(rows);
        try {
            p.serve = p.startServe(serveFlags);
            return p;
        } catch (Exception | Error e) {
            p.close();
            throw e;
        }
    }

    static Primary startWithoutServe(int rows) throws Exception {
        return startWithoutServe(rows, new String[0]);
    }

    /** A seeded primary whose mariadbd also gets {@code mysqldArgs} (they win over the test defaults). */
    static Primary startWithoutServe(int rows, String... mysqldArgs) throws Exception {
        if (!MariaDb.installed()) {
            throw new IllegalStateException("mariadbd is not on PATH: run `apt-get install -y mariadb-server mariadb-backup`");
        }
        Path base = Files.createTempDirectory("flow-primary-");
        MariaDb db = null;
        try {
            db = MariaDb.fresh(base, 100, mysqldArgs);
            AppTable.create(db, rows);
            return new Primary(base, db, Pod.create("mysql-0", base.resolve("pod")));
        } catch (Exception | Error e) {
            if (db != null) db.kill();
            MariaDbExtension.deleteTree(base);
            throw e;
        }
    }

    /** {@code agent serve --hostname mysql-0} for this primary's mariadbd and data dir. */
    InProcessServe startServe(String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("--hostname", "mysql-0", "--mysql-port", Integer.toString(db.port()),
                "--data-dir", db.dataDir().toString(), "--mysql-wait", "30s"));
        args.addAll(List.of(flags));
        return InProcessServe.start(MariaDb.freePort(), pod.env(), args.toArray(String[]::new));
    }

    /** The {@code --donor} flag pointing at this primary's serve. */
    String[] donorFlag() {
        return new String[] {"--donor", serve.address()};
    }

    @Override
    public void close() throws Exception {
        try {
            if (serve != null) serve.close();
        } finally {
            db.kill();
            MariaDbExtension.deleteTree(base);
        }
    }
}
