package io.statefulset.agent.flow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The uid:gid that owns a host directory. A container that works on a bind mount of that directory runs as this
 * user, so the files it creates stay readable, writable and deletable by the test JVM (which wrote the directory:
 * the extracted backup, the agent's markers, JUnit's clean-up of the temp dir).
 */
record HostUser(int uid, int gid) {

    static HostUser owning(Path dir) throws IOException {
        return new HostUser((Integer) Files.getAttribute(dir, "unix:uid"), (Integer) Files.getAttribute(dir, "unix:gid"));
    }

    /** As Docker's {@code --user} takes it. */
    String docker() {
        return uid + ":" + gid;
    }
}
