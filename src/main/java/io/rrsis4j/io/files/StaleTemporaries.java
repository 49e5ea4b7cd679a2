package io.rrsis4j.io.files;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Temporaries left by runs that were killed outright (kill -9, a lost machine: no shutdown hook ran). Every
 * temporary's name carries its owner, "~PID-START-", START being the owning process's start time; the first time
 * a run writes into a folder, it removes the temporaries there whose owner is gone (no such process, or the pid
 * now belongs to a process started at another time), and only those: a run still alive keeps its own.
 */
final class StaleTemporaries {
    /** The owner tag of this process's temporaries, "~PID-START-". */
    static final String OWNER = "~" + ProcessHandle.current().pid() + "-" + start(ProcessHandle.current()).orElse("0") + "-";
    private static final Pattern OWNED = Pattern.compile("~(\\d{1,10})-([0-9a-z]+)-[0-9a-z]+(?:\\.tmp|\\.part)?$");
    private static final Set<Path> SWEPT = ConcurrentHashMap.newKeySet();

    private StaleTemporaries() {}

    /** Sweeps {@code dir} the first time this process writes there; later calls return at once. */
    static void sweepOnce(Path dir) {
        if (SWEPT.add(dir.toAbsolutePath().normalize())) {
            sweep(dir);
        }
    }

    /** Removes the temporaries of dead owners in {@code dir}; best effort (what cannot be removed stays). */
    static int sweep(Path dir) {
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                Matcher m = OWNED.matcher(entry.getFileName().toString());
                if (m.find() && !ownerAlive(Long.parseLong(m.group(1)), m.group(2))) {
                    try {
                        AtomicFiles.deleteTree(entry);
                        removed++;
                    } catch (IOException | RuntimeException e) {
                        // another run sweeping at the same time, or no permission: not this run's business
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // an unreadable folder: the write that follows reports it in its own words
        }
        return removed;
    }

    static boolean ownerAlive(long pid, String start) {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        // a process whose start time cannot be read is taken as the owner: never remove what may be in use
        return process.isPresent() && start(process.get()).map(start::equals).orElse(true);
    }

    static Optional<String> start(ProcessHandle process) {
        return process.info().startInstant().map(Instant::getEpochSecond).map(s -> Long.toString(s, 36));
    }
}
