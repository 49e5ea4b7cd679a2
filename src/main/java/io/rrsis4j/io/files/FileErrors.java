package io.rrsis4j.io.files;

import io.rrsis4j.InvalidInputException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * Which failures are the user's, as the one-line {@link InvalidInputException}: the input error itself, and every
 * refusal of the file system or the disk (a missing file, no permission, a read-only or full disk, a file where a
 * folder should be, text that is not UTF-8). Those are about the user's files and machine, not about rrsis4j; any
 * other exception is a bug and keeps its stack trace.
 */
public final class FileErrors {
    private FileErrors() {}

    /**
     * Refuses anything but a readable regular file as the input {@code what} names ("image file"): a missing path,
     * a folder and a device or pipe each get their own words, not all "not found".
     */
    public static void requireFile(Path file, String what) {
        if (Files.isRegularFile(file)) {
            return;
        }
        if (Files.isDirectory(file)) {
            throw new InvalidInputException(file, "is a folder, not the " + what + " expected here");
        }
        throw new InvalidInputException(file, Files.exists(file)
                ? "is not a regular file (a device or pipe); the " + what + " must be a file"
                : what + " not found");
    }

    /** The one-line input error {@code t} stands for, or empty when it is a bug. */
    public static Optional<InvalidInputException> asInputError(Throwable t) {
        String context = null;
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof InvalidInputException e) {
                return Optional.of(e);
            }
            if (c instanceof FileSystemException e) {
                return Optional.of(describe(e));
            }
            if (c instanceof CharacterCodingException) {
                return Optional.of(new InvalidInputException(prefix(context) + "the text is not UTF-8"));
            }
            // Wrappers (UncheckedIOException, a future's ExecutionException, "cannot write X" around an
            // IOException, a background loader's failure): the cause says what happened. A bug has no such cause.
            if (c.getCause() != null && (c instanceof RuntimeException || c instanceof ExecutionException)) {
                if (c.getCause() instanceof IOException && c.getMessage() != null
                        && !c.getMessage().equals(c.getCause().toString())) {
                    context = c.getMessage();
                }
                continue; // wrappers: the cause says what happened
            }
            if (c instanceof IOException e) {
                return Optional.of(new InvalidInputException(prefix(context) + message(e)));
            }
            if (c instanceof OutOfMemoryError) {
                return Optional.of(new InvalidInputException("out of memory: the input is too large for this Java heap"
                        + " (" + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB; raise it with"
                        + " RRSIS4J_JAVA_OPTS=-Xmx16g)"));
            }
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** The file system's refusal as "PATH: problem" in words. */
    public static InvalidInputException describe(FileSystemException e) {
        Path file = e.getFile() == null ? null : Path.of(e.getFile());
        Path blocking = file == null ? null : fileInTheWay(file);
        if (blocking != null) { // "a/b.tif/full: Not a directory" is about b.tif, a file where a folder should be
            return new InvalidInputException(blocking, "is a file where a folder is needed", e);
        }
        String problem = problem(e);
        return file == null ? new InvalidInputException(problem) : new InvalidInputException(file, problem, e);
    }

    /** The nearest existing ancestor of {@code file} when it is a file, not a folder; else null. */
    private static Path fileInTheWay(Path file) {
        for (Path p = file.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                return Files.isRegularFile(p) ? p : null;
            }
        }
        return null;
    }

    /** What the file system refused, in words (its exception types carry no reason of their own). */
    private static String problem(FileSystemException e) {
        Path file = e.getFile() == null ? null : Path.of(e.getFile());
        if (e instanceof NoSuchFileException) {
            return "not found (no such file or folder)";
        } else if (e instanceof AccessDeniedException) {
            return "permission denied";
        } else if (e instanceof FileAlreadyExistsException) {
            return file != null && Files.isRegularFile(file) ? "is a file where a folder is needed" : "already exists";
        } else if (e instanceof NotDirectoryException) {
            return "is not a folder";
        } else if (e instanceof DirectoryNotEmptyException) {
            return "folder is not empty";
        }
        return e.getReason() != null ? e.getReason() : message(e);
    }

    /**
     * An I/O failure while writing {@code target} (a full disk says only "No space left on device"), as a
     * FileSystemException that names the target the user asked for rather than a temporary file.
     */
    public static FileSystemException naming(Path target, IOException e) {
        if (e instanceof FileSystemException f && f.getFile() != null && !isTemporaryOf(Path.of(f.getFile()), target)) {
            return f;
        }
        IOException root = e;
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof IOException io) {
                root = io; // ImageIO says "I/O error writing PNG file!"; its cause says the disk is full
            }
        }
        // a refusal without a reason has only the temporary's name as its message: say what was refused instead
        String reason = !(root instanceof FileSystemException f) ? message(root)
                : f.getReason() != null ? f.getReason() : "cannot write here: " + problem(f);
        FileSystemException named = new FileSystemException(target.toString(), null, reason);
        named.initCause(e);
        return named;
    }

    /** The temporaries {@link AtomicFiles} and {@link OutputSet} create beside their targets (".NAME...."). */
    static boolean isTemporaryOf(Path p, Path target) {
        String n = p.getFileName() == null ? "" : p.getFileName().toString();
        return n.startsWith(".") && (n.endsWith(".tmp") || n.endsWith(".part")
                || (target.getFileName() != null && n.startsWith("." + target.getFileName())));
    }

    private static String message(Throwable e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static String prefix(String context) {
        return context == null ? "" : context + ": ";
    }
}
