package io.statefulset.agent.init;

/** The init container: identity, config, and (on a replica with no data) the clone. */
public final class InitCommand {
    private final InitOptions options;

    public InitCommand(InitOptions options) {
        this.options = options;
    }

    /** @return the process exit code: 0 done, 1 failed */
    public int run() {
        throw new UnsupportedOperationException("init is being built");
    }
}
