package io.rrsis4j.io.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed outright (SIGKILL: no shutdown hook) leaves its temporaries; the next run writing into the same folder
 * removes those of dead owners and keeps those of runs still alive.
 */
class StaleTemporariesTest {
    @TempDir
    Path dir;

    @Test
    void removesOnlyTheTemporariesOfDeadOwners() throws Exception {
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        long deadPid = finished.pid();
        Process alive = new ProcessBuilder("sleep", "60").start();
        try {
            String aliveStart = StaleTemporaries.start(alive.toHandle()).orElseThrow();
            Path dead = Files.writeString(dir.resolve(".mask.png~" + deadPid + "-" + aliveStart + "-k3j2.tmp"), "half");
            Path deadFolder = Files.createDirectories(dir.resolve(".out-~" + deadPid + "-" + aliveStart + "-9x/images"));
            Files.writeString(deadFolder.resolve("1.jpg"), "x");
            // this process's pid, but started at another time: the pid was reused, the owner is gone
            long self = ProcessHandle.current().pid();
            Path reused = Files.writeString(dir.resolve(".overlay.png~" + self + "-zzzzzz-1a.tmp"), "half");
            Path living = Files.writeString(dir.resolve(".mask.png~" + alive.pid() + "-" + aliveStart + "-7q.tmp"), "busy");
            Path users = Files.writeString(dir.resolve(".notes.tmp"), "a user's own hidden file");
            Path ours = AtomicFiles.createTemporary(dir, ".probability.png", ".tmp");

            AtomicFiles.write(dir.resolve("mask.png"), new byte[] {1});

            assertFalse(Files.exists(dead));
            assertFalse(Files.exists(deadFolder.getParent()));
            assertFalse(Files.exists(reused));
            assertTrue(Files.exists(living), "a live run's temporary stays");
            assertTrue(Files.exists(users), "a name without an owner tag is not ours");
            assertTrue(Files.exists(ours), "this run's own temporary stays");
            assertTrue(Files.exists(dir.resolve("mask.png")));
        } finally {
            alive.destroy();
        }
    }

    @Test
    void aRunAfterAKillMinus9CleansUp() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                TemporariesOnExitTest.class.getName(), dir.toString()).redirectErrorStream(true).start();
        assertEquals("writing", new String(child.getInputStream().readNBytes("writing".length())));
        child.destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertTrue(child.waitFor(20, TimeUnit.SECONDS));
        List<String> left = hidden();
        assertTrue(left.size() >= 2, "a killed run leaves its temporaries: " + left);

        AtomicFiles.writeFolder(dir.resolve("dataset"), tmp -> Files.writeString(tmp.resolve("a.txt"), "done"));
        assertEquals(List.of(), hidden(), "the next run in the same folder removed them");
        assertEquals("done", Files.readString(dir.resolve("dataset/a.txt")));
    }

    private List<String> hidden() throws Exception {
        try (Stream<Path> all = Files.list(dir)) {
            return all.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).sorted().toList();
        }
    }
}
