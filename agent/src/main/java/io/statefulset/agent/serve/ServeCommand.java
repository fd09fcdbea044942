package io.statefulset.agent.serve;

/** The sidecar: replication set up once, then the backup/health server until SIGTERM. */
public final class ServeCommand {
    private final ServeOptions options;

    public ServeCommand(ServeOptions options) {
        this.options = options;
    }

    /** @return the process exit code */
    public int run() {
        throw new UnsupportedOperationException("serve is being built");
    }
}
