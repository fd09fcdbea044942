package io.statefulset.agent.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A directory laid out as the kubelet lays out a mounted Secret: {@code name -> ..data/name}, {@code ..data -> ..<n>},
 * and an update writes a new {@code ..<n>} and swaps the {@code ..data} symlink in one rename.
 */
public final class SecretVolume {
    private final Path dir;
    private final AtomicInteger version = new AtomicInteger();

    private SecretVolume(Path dir) {
        this.dir = dir;
    }

    public static SecretVolume create(Path dir, Map<String, byte[]> files) throws IOException {
        Files.createDirectories(dir);
        SecretVolume v = new SecretVolume(dir);
        v.update(files);
        for (String name : files.keySet()) Files.createSymbolicLink(dir.resolve(name), Path.of("..data", name));
        return v;
    }

    /** What a pod sees at {@code name}. */
    public Path file(String name) {
        return dir.resolve(name);
    }

    /** All files at once, as a Secret update does. */
    public void update(Map<String, byte[]> files) throws IOException {
        Path next = dir.resolve("..v" + version.incrementAndGet());
        Files.createDirectory(next);
        for (Map.Entry<String, byte[]> e : files.entrySet()) Files.write(next.resolve(e.getKey()), e.getValue());
        Path link = dir.resolve("..data_tmp");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, next.getFileName());
        Files.move(link, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
