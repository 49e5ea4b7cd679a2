package io.rrsis4j.io.files;

import io.rrsis4j.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outputs of one run, all or none: each is written to a temporary file beside its target (as {@link AtomicFiles}
 * does for one file), and only when every one of them was written does {@link #commit()} move them into place. On
 * failure, {@link #close()} deletes the temporaries and the folders this set created, so a failed run leaves no
 * file behind, not even the outputs that were written before the one that failed.
 *
 * <pre>{@code
 * try (OutputSet outputs = new OutputSet()) {
 *     outputs.write(mask, tmp -> MaskImages.writeMask(m, tmp));
 *     outputs.write(overlay, tmp -> MaskImages.writeOverlay(image, m, tmp));
 *     outputs.commit();
 * }
 * }</pre>
 */
public final class OutputSet implements AutoCloseable {
    private final Map<Path, Path> staged = new LinkedHashMap<>();
    private final List<Path> createdFolders = new ArrayList<>();
    private final java.util.Set<Path> reserved = new java.util.HashSet<>();
    private final List<Path> inputs;
    private boolean committed;

    /**
     * An output set for a run that reads {@code inputs}: naming one of them as an output is refused, since the
     * output's rename would replace the input (a mask written over the image it was made from).
     */
    public OutputSet(Path... inputs) {
        this.inputs = List.of(inputs);
    }

    /**
     * Writes one output: {@code writer} writes the file at the path it is given (a temporary beside {@code target}),
     * which moves to {@code target} at {@link #commit()}. A failure names {@code target}.
     */
    public void write(Path target, AtomicFiles.PathWriter writer) throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
        if (committed) {
            throw new IllegalStateException("outputs already committed");
        }
        if (staged.containsKey(absolute) && !reserved.remove(absolute)) {
            throw new InvalidInputException(target, "is named for two outputs of one run");
        }
        try {
            Path tmp = staged.containsKey(absolute) ? staged.get(absolute) : stage(absolute);
            writer.write(tmp);
            AtomicFiles.force(tmp); // to disk before the rename, as AtomicFiles does
        } catch (IOException e) {
            throw FileErrors.naming(target, e);
        } catch (UncheckedIOException e) {
            throw FileErrors.naming(target, e.getCause());
        }
    }

    /**
     * Claims an output before the work that produces it: its folder is made and its temporary created now, so that
     * a read-only folder, a file in the way or the same path named twice is reported before a long computation,
     * not after it. {@link #write} fills it later.
     */
    public void reserve(Path target) throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
        if (staged.containsKey(absolute)) {
            throw new InvalidInputException(target, "is named for two outputs of one run");
        }
        try {
            stage(absolute);
        } catch (IOException e) {
            throw FileErrors.naming(target, e);
        }
        reserved.add(absolute);
    }

    private Path stage(Path absolute) throws IOException {
        for (Path input : inputs) {
            if (sameFile(absolute, input)) {
                throw new InvalidInputException(absolute, "is also an input of this run; name another output file");
            }
        }
        createFolders(absolute.getParent());
        Path tmp = AtomicFiles.temporaryBeside(absolute);
        staged.put(absolute, tmp);
        return tmp;
    }

    /** Writes one output from bytes the writer streams. */
    public void writeStream(Path target, AtomicFiles.Writer writer) throws IOException {
        write(target, tmp -> AtomicFiles.write(tmp, writer));
    }

    /** Moves every output into place, in the order written. */
    public void commit() throws IOException {
        if (!reserved.isEmpty()) {
            throw new IllegalStateException("reserved but never written: " + reserved);
        }
        for (Map.Entry<Path, Path> e : staged.entrySet()) {
            try {
                AtomicFiles.moveIntoPlace(e.getValue(), e.getKey());
            } catch (IOException failure) {
                throw FileErrors.naming(e.getKey(), failure);
            }
        }
        committed = true;
        createdFolders.forEach(TemporariesOnExit::forget);
    }

    /** Without a commit: deletes the temporaries and the (then empty) folders this set created. */
    @Override
    public void close() throws IOException {
        if (committed) {
            return;
        }
        for (Path tmp : staged.values()) {
            AtomicFiles.deleteTree(tmp);
        }
        for (int i = createdFolders.size() - 1; i >= 0; i--) {
            TemporariesOnExit.forget(createdFolders.get(i));
            try {
                Files.deleteIfExists(createdFolders.get(i));
            } catch (java.nio.file.DirectoryNotEmptyException othersWroteThere) {
                // another process put files into it meanwhile: theirs to keep
            }
        }
        staged.clear();
    }

    /** Same file: by path, or through a link or another spelling of an existing file. */
    private static boolean sameFile(Path target, Path input) throws IOException {
        Path in = input.toAbsolutePath().normalize();
        if (in.equals(target)) {
            return true;
        }
        return Files.exists(target) && Files.exists(in) && Files.isSameFile(target, in);
    }

    private void createFolders(Path dir) throws IOException {
        List<Path> missing = new ArrayList<>();
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            missing.add(0, existing);
            existing = existing.getParent();
        }
        if (existing != null && !Files.isDirectory(existing)) {
            throw new java.nio.file.FileAlreadyExistsException(existing.toString()); // a file where a folder is needed
        }
        for (Path d : missing) {
            Files.createDirectory(d);
            createdFolders.add(d);
            TemporariesOnExit.trackFolder(d); // an interrupted run leaves no empty output folder either
        }
    }
}
