package io.rrsis4j.io.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The temporaries of unfinished writes, deleted when the JVM exits before they were moved into place: Ctrl-C and
 * SIGTERM run shutdown hooks but no {@code finally} block, so without this an interrupted {@code synth} or
 * {@code segment --list} would leave its hidden {@code .NAME-*} folder or {@code .NAME*.tmp} files behind. (A kill -9
 * runs nothing; its leftovers have names no later run reuses, so they are only litter.)
 */
final class TemporariesOnExit {
    private static final Set<Path> TEMPORARIES = ConcurrentHashMap.newKeySet();
    private static final Set<Path> CREATED_FOLDERS = ConcurrentHashMap.newKeySet();
    private static volatile boolean hooked;
    private static volatile boolean exiting;

    private TemporariesOnExit() {}

    /** A temporary file or folder, deleted with everything in it at exit unless {@link #forget forgotten}. */
    static void track(Path temporary) {
        hook();
        TEMPORARIES.add(temporary.toAbsolutePath());
    }

    /** A folder made for outputs, deleted at exit while it is still empty unless {@link #forget forgotten}. */
    static void trackFolder(Path folder) {
        hook();
        CREATED_FOLDERS.add(folder.toAbsolutePath());
    }

    /** Moved into place, deleted, or kept: no longer the exit's to delete. */
    static void forget(Path path) {
        Path absolute = path.toAbsolutePath();
        TEMPORARIES.remove(absolute);
        CREATED_FOLDERS.remove(absolute);
    }

    /**
     * Refuses a new temporary once the JVM is exiting: the interrupted run's threads go on writing while the hook
     * deletes, and would otherwise make its folders again.
     */
    static void checkNotExiting() throws IOException {
        if (exiting) {
            throw new java.nio.file.FileSystemException(null, null, "interrupted: the program is exiting");
        }
    }

    private static synchronized void hook() {
        if (!hooked) {
            Runtime.getRuntime().addShutdownHook(new Thread(TemporariesOnExit::deleteAll, "rrsis4j-temporaries"));
            hooked = true;
        }
    }

    private static void deleteAll() {
        exiting = true;
        // writes already under way finish meanwhile (a file into a folder being deleted): a few rounds
        List<Path> temporaries = List.copyOf(TEMPORARIES);
        for (int round = 0; round < 20 && temporaries.stream().anyMatch(Files::exists); round++) {
            for (Path temporary : temporaries) {
                try {
                    AtomicFiles.deleteTree(temporary);
                } catch (IOException | RuntimeException e) {
                    // written to while deleted: the next round
                }
            }
            try {
                Thread.sleep(round == 0 ? 0 : 25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        List<Path> folders = new ArrayList<>(CREATED_FOLDERS);
        folders.sort(Comparator.comparingInt(Path::getNameCount).reversed()); // the deepest first
        for (Path folder : folders) {
            try {
                Files.deleteIfExists(folder);
            } catch (IOException | RuntimeException notEmptyOrGone) {
                // someone's files are in it: theirs to keep
            }
        }
    }
}
