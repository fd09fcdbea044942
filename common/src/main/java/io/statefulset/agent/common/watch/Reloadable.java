package io.statefulset.agent.common.watch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A value made from files (a secret, a certificate and its key) that is made again when the files change on disk.
 *
 * <p>A change is a change of the files' content: their SHA-256 together. Kubernetes updates a Secret volume by
 * swapping a symlink ({@code ..data}), cert-manager rewrites the files in place; mtime and inode say little in
 * either case, while reading a few KiB and hashing them is cheap and certain. Files are read once per check and the
 * loader gets those very bytes, so the value always matches the fingerprint it is filed under.
 *
 * <p>A failed reload (file unreadable, empty, a key not matching its certificate, half of a pair rewritten) keeps
 * the last good value and logs why once per content; the same content is not retried, the next change is.
 */
public final class Reloadable<T> {
    private static final Logger log = LoggerFactory.getLogger(Reloadable.class);

    /** Makes the value from the files' bytes, in the order the files were given. */
    @FunctionalInterface
    public interface Loader<T> {
        /** @throws Exception with a message that names the problem (never the content) */
        T load(List<byte[]> contents) throws Exception;
    }

    private final String what;
    private final List<Path> files;
    private final Loader<T> loader;
    private final Duration minCheckInterval;
    private final Clock clock;
    private final List<BiConsumer<T, T>> listeners = new CopyOnWriteArrayList<>();

    private volatile T value;
    private volatile Instant loadedAt;
    private String loadedHash;
    private String failedHash;
    private Instant lastCheck = Instant.MIN;

    private Reloadable(String what, List<Path> files, Loader<T> loader, Duration minCheckInterval, Clock clock) {
        this.what = what;
        this.files = List.copyOf(files);
        this.loader = loader;
        this.minCheckInterval = minCheckInterval;
        this.clock = clock;
    }

    /**
     * Loads the value now.
     *
     * @param what             for messages: "the /backup token", "the TLS certificate"
     * @param minCheckInterval {@link #current()} reads the files at most this often (0: on every call)
     * @throws IllegalArgumentException when the first load fails: the message names the file and the fix
     */
    public static <T> Reloadable<T> load(String what, List<Path> files, Loader<T> loader, Duration minCheckInterval) {
        return load(what, files, loader, minCheckInterval, Clock.systemUTC());
    }

    static <T> Reloadable<T> load(String what, List<Path> files, Loader<T> loader, Duration minCheckInterval, Clock clock) {
        Reloadable<T> r = new Reloadable<>(what, files, loader, minCheckInterval, clock);
        List<byte[]> contents;
        try {
            contents = r.read();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + what + " from " + r.fileNames() + ": " + e.getMessage()
                    + " (check the path and the volume mount)", e);
        }
        try {
            r.value = loader.load(contents);
        } catch (Exception e) {
            throw new IllegalArgumentException(what + " from " + r.fileNames() + " is unusable: " + e.getMessage(), e);
        }
        r.loadedHash = hash(contents);
        r.loadedAt = clock.instant();
        r.lastCheck = r.loadedAt;
        return r;
    }

    /** The value, after reading the files again if {@code minCheckInterval} has passed since the last look. */
    public T current() {
        refresh(false);
        return value;
    }

    /** The value as last loaded, without looking at the files. */
    public T loaded() {
        return value;
    }

    /** When the value in use was loaded. */
    public Instant loadedAt() {
        return loadedAt;
    }

    public String what() {
        return what;
    }

    /** Called with (previous, new) after each successful reload, on the thread that noticed the change. */
    public void onChange(BiConsumer<T, T> listener) {
        listeners.add(listener);
    }

    /** Reads the files now, whatever the interval (the poller's call). */
    public void refresh() {
        refresh(true);
    }

    private void refresh(boolean force) {
        T previous;
        T next;
        synchronized (this) {
            Instant now = clock.instant();
            if (!force && Duration.between(lastCheck, now).compareTo(minCheckInterval) < 0) return;
            lastCheck = now;
            List<byte[]> contents;
            try {
                contents = read();
            } catch (IOException e) {
                failedOnce("io:" + e.getMessage(), "cannot read " + fileNames() + ": " + e.getMessage());
                return;
            }
            String h = hash(contents);
            if (h.equals(loadedHash)) {
                recovered();
                return;
            }
            if (h.equals(failedHash)) return;
            try {
                next = loader.load(contents);
            } catch (Exception e) {
                failedOnce(h, e.getMessage());
                return;
            }
            previous = value;
            value = next;
            loadedHash = h;
            loadedAt = now;
            failedHash = null;
        }
        for (BiConsumer<T, T> l : listeners) l.accept(previous, next);
    }

    private void failedOnce(String key, String why) {
        if (key.equals(failedHash)) return;
        failedHash = key;
        log.warn("{} in {} changed but cannot be used: {}; keeping the one loaded at {}", what, fileNames(), why, loadedAt);
    }

    private void recovered() {
        if (failedHash == null) return;
        failedHash = null;
        log.info("{} in {} is back to the content loaded at {}", what, fileNames(), loadedAt);
    }

    private List<byte[]> read() throws IOException {
        List<byte[]> out = new ArrayList<>(files.size());
        for (Path f : files) out.add(Files.readAllBytes(f));
        return out;
    }

    private String fileNames() {
        return files.stream().map(Path::toString).collect(Collectors.joining(", "));
    }

    private static String hash(List<byte[]> contents) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (byte[] c : contents) {
                d.update(Long.toString(c.length).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                d.update((byte) ':');
                d.update(c);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
