package io.rrsis4j.io.files;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes a file through a temporary file in the same folder, forced to disk, and a rename: readers never see half a
 * file, a crash leaves the old file or the new one, and a failed write leaves nothing behind. A failure names the
 * target (a full disk alone says only "No space left on device"). {@link OutputSet} does the same for all the
 * outputs of a run together; {@link #writeFolder} for a whole folder. Files and folders get the permissions of any
 * newly created one (0666 or 0777 less the umask), as users expect of what a tool writes.
 */
public final class AtomicFiles {
    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFiles() {}

    /** Writes the bytes the writer produces. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** Writes through the file channel itself, for writers that need positions (zip archives). */
    @FunctionalInterface
    public interface ChannelWriter {
        void write(FileChannel channel) throws IOException;
    }

    /** Fills a folder (or writes a file) at the path it is given. */
    @FunctionalInterface
    public interface PathWriter {
        void write(Path path) throws IOException;
    }

    public static void writeChannel(Path target, ChannelWriter writer) throws IOException {
        Path tmp;
        try {
            tmp = temporaryBeside(target);
        } catch (IOException e) {
            throw FileErrors.naming(target, e);
        }
        try {
            writeForced(tmp, writer);
            moveIntoPlace(tmp, target);
        } catch (IOException e) {
            throw FileErrors.naming(target, e);
        } catch (UncheckedIOException e) {
            throw FileErrors.naming(target, e.getCause());
        } finally {
            deleteTree(tmp);
        }
    }

    /**
     * Creates a new empty file named PREFIX + owner + random + SUFFIX in DIR. Unlike {@link Files#createTempFile},
     * which makes it 0600 (and the rename keeps that), it is created like any file, so the umask decides its
     * permissions. The owner tag lets a later run remove it if this one is killed outright ({@link StaleTemporaries}).
     */
    public static Path createTemporary(Path dir, String prefix, String suffix) throws IOException {
        TemporariesOnExit.checkNotExiting();
        StaleTemporaries.sweepOnce(dir);
        while (true) {
            Path tmp = dir.resolve(prefix + StaleTemporaries.OWNER + Long.toUnsignedString(RANDOM.nextLong(), 36) + suffix);
            try {
                Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                TemporariesOnExit.track(tmp);
                return tmp;
            } catch (FileAlreadyExistsException e) {
                // another writer's temporary: draw another name
            }
        }
    }

    /** Like {@link #createTemporary}, a new empty folder whose permissions the umask decides (not 0700). */
    public static Path createTemporaryDirectory(Path dir, String prefix) throws IOException {
        TemporariesOnExit.checkNotExiting();
        StaleTemporaries.sweepOnce(dir);
        while (true) {
            Path tmp = dir.resolve(prefix + StaleTemporaries.OWNER + Long.toUnsignedString(RANDOM.nextLong(), 36));
            try {
                Files.createDirectory(tmp);
                TemporariesOnExit.track(tmp);
                return tmp;
            } catch (FileAlreadyExistsException e) {
                // another writer's temporary: draw another name
            }
        }
    }

    public static void write(Path target, Writer writer) throws IOException {
        writeChannel(target, channel -> {
            // Closing the stream (Jackson and others do) only flushes it: the channel must stay open to be forced.
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16) {
                @Override
                public void close() throws IOException {
                    flush();
                }
            };
            writer.write(out);
            out.flush();
        });
    }

    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /**
     * Fills a new folder: the writer fills a temporary folder beside {@code target}, which is renamed to
     * {@code target} only when the writer returns; on failure it is deleted. {@code target} must not exist or be an
     * empty folder (it is replaced).
     */
    public static void writeFolder(Path target, PathWriter writer) throws IOException {
        Path dir = parentOf(target);
        if (Files.isDirectory(target)) {
            try (Stream<Path> entries = Files.list(target)) {
                if (entries.findAny().isPresent()) {
                    throw new FileSystemException(target.toString(), null, "folder is not empty (choose a new or empty one)");
                }
            }
        } else if (Files.exists(target)) {
            throw new FileSystemException(target.toString(), null, "is a file, not a folder");
        }
        Path tmp;
        try {
            tmp = createTemporaryDirectory(dir, "." + target.getFileName() + "-");
        } catch (IOException e) {
            throw FileErrors.naming(target, e);
        }
        try {
            writer.write(tmp);
            Files.deleteIfExists(target); // the empty folder it replaces
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            TemporariesOnExit.forget(tmp);
        } catch (IOException e) {
            throw inTarget(e, tmp, target);
        } catch (UncheckedIOException e) {
            throw inTarget(e.getCause(), tmp, target);
        } finally {
            deleteTree(tmp);
        }
    }

    /** A failure inside the temporary folder, naming the file as it would have been called in the target. */
    private static IOException inTarget(IOException e, Path tmp, Path target) {
        if (e instanceof FileSystemException f && f.getFile() != null) {
            Path file = Path.of(f.getFile()).toAbsolutePath();
            Path inTmp = file.startsWith(tmp.toAbsolutePath()) ? target.resolve(tmp.toAbsolutePath().relativize(file)) : null;
            if (inTmp != null) {
                FileSystemException named = new FileSystemException(inTmp.toString(), null,
                        f.getReason() != null ? f.getReason() : f.getMessage());
                named.initCause(e);
                return named;
            }
        }
        return e;
    }

    /** A new empty temporary file beside {@code target} (whose folder is created when missing). */
    static Path temporaryBeside(Path target) throws IOException {
        if (Files.isDirectory(target)) {
            throw new FileSystemException(target.toString(), null, "is a folder, not a file");
        }
        return createTemporary(parentOf(target), "." + target.getFileName(), ".tmp");
    }

    static void writeForced(Path file, ChannelWriter writer) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            writer.write(channel);
            channel.force(true);
        }
    }

    /** Forces a written file's content to disk. */
    static void force(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        TemporariesOnExit.forget(tmp);
    }

    /** The target's folder, created when missing. */
    private static Path parentOf(Path target) throws IOException {
        TemporariesOnExit.checkNotExiting(); // not even the folders, once an interrupted run is deleting them
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        return dir;
    }

    /** Deletes a file or a folder with everything in it; nothing when it does not exist. */
    public static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            TemporariesOnExit.forget(path);
            return;
        }
        try (Stream<Path> all = Files.walk(path)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        TemporariesOnExit.forget(path);
    }
}
