package io.statefulset.agent.xbstream;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory a stream is extracted into, and the only place that touches its names: it creates the directories
 * a file needs, refuses to go through a symbolic link or onto anything that already exists, opens files (with
 * O_DIRECT when the file system takes it).
 */
final class ExtractionTarget {
    private static final Logger log = LoggerFactory.getLogger(ExtractionTarget.class);
    private static final FileAttribute<Set<PosixFilePermission>> FILE_MODE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----"));
    private static final FileAttribute<Set<PosixFilePermission>> DIR_MODE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---"));

    private final Path root;
    private final int alignment;
    /** directories this extraction made: what is in them came from the stream */
    private final Set<Path> createdDirectories = new HashSet<>();
    /** null until the first open tells whether the file system takes O_DIRECT */
    private Boolean directIo;

    ExtractionTarget(Path dir, boolean directIo) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("extraction target " + dir + " is not a directory: create it before extracting");
        }
        this.root = dir.toRealPath();
        this.directIo = directIo ? null : Boolean.FALSE;
        this.alignment = (int) Math.max(ExtractionSettings.ALIGNMENT, Files.getFileStore(root).getBlockSize());
    }

    Path root() {
        return root;
    }

    /** Block size that O_DIRECT writes are aligned to. */
    int alignment() {
        return alignment;
    }

    /** Whether files are written with O_DIRECT (false until the first file is opened, when it is decided). */
    boolean directIo() {
        return Boolean.TRUE.equals(directIo);
    }

    /**
     * Where a new file of the stream goes, with its parent directories created; refused before anything is created
     * when a parent is a symbolic link or not a directory, or when the file itself already exists. Inside a
     * directory this extraction created there is nothing but what it put there, so those checks (a few stats per
     * file, which add up over 10^5 files) are only made where the target had entries of its own.
     */
    Path prepareFile(StreamPath path, ChunkHeader header) throws IOException {
        Path dir = root;
        boolean ours = false;
        List<Path> missing = new ArrayList<>();
        List<String> segments = path.segments();
        for (int i = 0; i < segments.size() - 1; i++) {
            dir = dir.resolve(segments.get(i));
            if (createdDirectories.contains(dir)) {
                ours = true;
            } else if (ours) {
                missing.add(dir);
            } else {
                checkDirectory(dir, header);
                if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                    missing.add(dir);
                    ours = true;
                }
            }
        }
        Path file = dir.resolve(segments.get(segments.size() - 1));
        if (!file.normalize().startsWith(root)) throw StreamPath.refused(header, "it resolves outside the target");
        if (!ours) checkFile(file, header);
        for (Path d : missing) {
            Files.createDirectory(d, DIR_MODE);
            createdDirectories.add(d);
        }
        return file;
    }

    private void checkDirectory(Path dir, ChunkHeader header) throws IOException {
        if (Files.isSymbolicLink(dir)) {
            throw StreamPath.refused(header, "its directory " + root.relativize(dir) + " is a symbolic link in the"
                    + " target (to " + Files.readSymbolicLink(dir) + ")");
        }
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw StreamPath.refused(header, root.relativize(dir) + " is already a file, not a directory");
        }
    }

    private static void checkFile(Path file, ChunkHeader header) throws IOException {
        if (Files.isSymbolicLink(file)) {
            throw StreamPath.refused(header, "it is a symbolic link in the target (to " + Files.readSymbolicLink(file) + ")");
        }
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw StreamPath.refused(header, "it already exists in the target (a stream names each file once; extract"
                    + " into an empty directory)");
        }
    }

    /** Creates a file for buffered writes (it must not exist). */
    FileChannel createBuffered(Path file) throws IOException {
        return FileChannel.open(file, Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW, LinkOption.NOFOLLOW_LINKS),
                FILE_MODE);
    }

    /** Opens a file for positional writes: created (it must not exist) the first time, reopened after a suspension. */
    FileChannel open(Path file, boolean create) throws IOException {
        List<OpenOption> options = new ArrayList<>(List.of(StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS));
        if (create) options.add(StandardOpenOption.CREATE_NEW);
        if (directIo == null || directIo) {
            List<OpenOption> direct = new ArrayList<>(options);
            direct.add(ExtendedOpenOption.DIRECT);
            try {
                FileChannel channel = FileChannel.open(file, Set.copyOf(direct), FILE_MODE);
                directIo = Boolean.TRUE;
                return channel;
            } catch (FileAlreadyExistsException e) {
                throw e;
            } catch (UnsupportedOperationException | IOException e) {
                if (Boolean.TRUE.equals(directIo)) throw e;
                directIo = Boolean.FALSE;
                log.info("O_DIRECT not available under {} ({}): writing through the page cache", root, e.toString());
                // the failed O_DIRECT open may have created the file already: it is ours
                options.remove(StandardOpenOption.CREATE_NEW);
                if (create) options.add(StandardOpenOption.CREATE);
            }
        }
        return FileChannel.open(file, Set.copyOf(options), FILE_MODE);
    }
}
