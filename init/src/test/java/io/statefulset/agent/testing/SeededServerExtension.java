package io.statefulset.agent.testing;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link SeededServer} shared by every test of a class: started before the class's own {@code @BeforeAll}
 * methods (which may read its stream), stopped and deleted after the class.
 *
 * <pre>{@code @RegisterExtension static final SeededServerExtension source = new SeededServerExtension(2000);}</pre>
 */
public final class SeededServerExtension implements BeforeAllCallback, AfterAllCallback {
    private final int rows;
    private SeededServer server;

    public SeededServerExtension(int rows) {
        this.rows = rows;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server = SeededServer.start(rows);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (server != null) server.close();
        server = null;
    }

    public DatabaseServer db() {
        return server.db();
    }

    /** The stored backup stream (do not modify: copy it to corrupt it). */
    public Path stream() {
        return server.stream();
    }

    public String fingerprint() {
        return server.fingerprint();
    }
}
