package io.statefulset.agent.common.secret;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A password or token. It never prints itself: {@link #toString()} is masked so that a secret cannot reach a log
 * line or an exception message by accident. Values come from a file (Kubernetes Secret volume) or an env var,
 * never from argv, where {@code ps} would show them.
 */
public final class Secret {
    private final String value;
    private final String origin;

    private Secret(String value, String origin) {
        this.value = value;
        this.origin = origin;
    }

    public static Secret of(String value, String origin) {
        return new Secret(value, origin);
    }

    /** The file's content without its trailing newline (what {@code kubectl create secret --from-file} leaves). */
    public static Secret fromFile(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return new Secret(text.strip(), "file " + file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read secret file " + file + ": " + e.getMessage()
                    + " (check the path and the Secret volume mount)", e);
        }
    }

    /** From {@code file} when given, else from env var {@code envName}, else empty. */
    public static Optional<Secret> resolve(Optional<Path> file, Map<String, String> env, String envName) {
        if (file.isPresent()) return Optional.of(fromFile(file.get()));
        String v = env.get(envName);
        return v == null ? Optional.empty() : Optional.of(new Secret(v, "env " + envName));
    }

    /** The secret itself; only for the place that must send it (JDBC properties, a defaults file, a header). */
    public String reveal() {
        return value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    /** Where it came from, for error messages ("file /etc/agent/token"). */
    public String origin() {
        return origin;
    }

    /** Constant-time comparison, for tokens presented by clients. */
    public boolean matches(String presented) {
        if (presented == null) return false;
        return java.security.MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "Secret[" + origin + ", ****]";
    }
}
