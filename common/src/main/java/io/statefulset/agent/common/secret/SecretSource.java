package io.statefulset.agent.common.secret;

import io.statefulset.agent.common.watch.Reloadable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Where a secret is read each time it is used: a file (a Kubernetes Secret volume, re-read when its content
 * changes, so that a rotated password or token is used without a restart) or an env var (fixed for the life of the
 * process).
 */
public sealed interface SecretSource permits SecretSource.Fixed, SecretSource.File {
    /** How often a use may re-read the file; the poller looks in between. */
    Duration CHECK_ON_USE = Duration.ofSeconds(1);

    /** The secret to use now. */
    Secret current();

    /** "file /etc/agent/token" or "env MYSQL_PASSWORD". */
    String origin();

    /** When the secret in use was read. */
    Instant loadedAt();

    /** Called with (previous, new) after the file's content changed to a usable secret. Env secrets never change. */
    void onRotation(BiConsumer<Secret, Secret> listener);

    /** The file watched for changes, if this secret comes from one. */
    Optional<Reloadable<Secret>> watched();

    static SecretSource fixed(Secret secret) {
        return new Fixed(secret, Instant.now());
    }

    /**
     * A file whose content (without its trailing newline) is the secret. An empty or unreadable file is refused at
     * start; later it keeps the last good secret.
     *
     * @throws IllegalArgumentException the file cannot be read or is empty
     */
    static SecretSource file(Path file, String what) {
        return new File(Reloadable.load(what, List.of(file), contents -> {
            String text = new String(contents.get(0), StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) throw new IllegalArgumentException("the file is empty: put the secret in it");
            return Secret.of(text, "file " + file);
        }, CHECK_ON_USE), "file " + file);
    }

    /** From {@code file} when given, else from env var {@code envName}, else empty. */
    static Optional<SecretSource> resolve(Optional<Path> file, Map<String, String> env, String envName, String what) {
        if (file.isPresent()) return Optional.of(file(file.get(), what));
        String v = env.get(envName);
        return v == null ? Optional.empty() : Optional.of(fixed(Secret.of(v, "env " + envName)));
    }

    record Fixed(Secret secret, Instant loadedAt) implements SecretSource {
        @Override
        public Secret current() {
            return secret;
        }

        @Override
        public String origin() {
            return secret.origin();
        }

        @Override
        public void onRotation(BiConsumer<Secret, Secret> listener) {}

        @Override
        public Optional<Reloadable<Secret>> watched() {
            return Optional.empty();
        }
    }

    record File(Reloadable<Secret> reloadable, String origin) implements SecretSource {
        @Override
        public Secret current() {
            return reloadable.current();
        }

        @Override
        public Instant loadedAt() {
            return reloadable.loadedAt();
        }

        @Override
        public void onRotation(BiConsumer<Secret, Secret> listener) {
            reloadable.onChange(listener);
        }

        @Override
        public Optional<Reloadable<Secret>> watched() {
            return Optional.of(reloadable);
        }
    }
}
