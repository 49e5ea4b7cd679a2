package io.rrsis4j.io.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run stopped by SIGTERM (as Ctrl-C stops it: shutdown hooks, no finally blocks) in the middle of its writes
 * leaves neither its temporary folder, nor its outputs' temporaries, nor the output folders it made.
 */
class TemporariesOnExitTest {
    @TempDir
    Path dir;

    /** The interrupted run: a folder being filled and an output set with two staged outputs, then a wait. */
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        OutputSet outputs = new OutputSet();
        outputs.reserve(root.resolve("made/deeper/mask.png"));
        outputs.write(root.resolve("overlay.png"), tmp -> Files.writeString(tmp, "half"));
        AtomicFiles.writeFolder(root.resolve("dataset"), tmp -> {
            Files.createDirectories(tmp.resolve("images"));
            AtomicFiles.write(tmp.resolve("images/1.jpg"), new byte[] {1, 2, 3});
            System.out.println("writing");
            System.out.flush();
            try {
                Thread.sleep(60_000); // a write that goes on until the signal
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Test
    void sigtermDeletesEveryTemporary() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                TemporariesOnExitTest.class.getName(), dir.toString()).redirectErrorStream(true).start();
        String first = new String(child.getInputStream().readNBytes("writing".length()));
        assertEquals("writing", first, "the child got to its write");
        assertTrue(listAll().size() > 3, "temporaries while it runs: " + listAll());
        child.destroy(); // SIGTERM
        assertTrue(child.waitFor(20, TimeUnit.SECONDS));
        assertEquals(List.of(), listAll(), "nothing left");
    }

    private List<Path> listAll() throws Exception {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(p -> !p.equals(dir)).toList();
        }
    }
}
