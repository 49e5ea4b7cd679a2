package io.rrsis4j.io.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rrsis4j.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outputs of a run are written all or none, with injected writer failures (a disk that fills up mid-write). */
class OutputSetTest {
    @TempDir
    Path dir;

    /** Writes some bytes, then fails as a full disk does. */
    private static void diskFullAfterSomeBytes(Path tmp) throws IOException {
        Files.write(tmp, new byte[1000]);
        throw new IOException("No space left on device");
    }

    @Test
    void aFailingOutputTakesTheEarlierOnesWithItAndKeepsTheOldFiles() throws IOException {
        Path old = dir.resolve("mask.png");
        Files.writeString(old, "good file of an earlier run");
        Path overlay = dir.resolve("new/sub/overlay.png");
        FileSystemException e = assertThrows(FileSystemException.class, () -> {
            try (OutputSet outputs = new OutputSet()) {
                outputs.write(old, tmp -> Files.writeString(tmp, "new mask"));
                outputs.write(overlay, OutputSetTest::diskFullAfterSomeBytes);
                outputs.commit();
            }
        });
        assertEquals(overlay.toString(), e.getFile(), "names the output the user asked for, not a temporary");
        assertEquals("No space left on device", e.getReason());
        assertEquals("good file of an earlier run", Files.readString(old), "the earlier good file is untouched");
        assertFalse(Files.exists(dir.resolve("new")), "folders made for the failed run are removed");
        assertEquals(List.of(old), listAll(), "no temporary left behind");
    }

    @Test
    void aCommittedRunMovesEveryOutputIntoPlace() throws IOException {
        Path a = dir.resolve("a.txt");
        Path b = dir.resolve("deep/b.txt");
        try (OutputSet outputs = new OutputSet()) {
            outputs.write(a, tmp -> Files.writeString(tmp, "A"));
            outputs.writeStream(b, out -> out.write("B".getBytes(StandardCharsets.UTF_8)));
            assertFalse(Files.exists(a), "nothing is in place before the commit");
            outputs.commit();
        }
        assertEquals("A", Files.readString(a));
        assertEquals("B", Files.readString(b));
        assertEquals(List.of(a, b.getParent(), b), listAll(), "no temporary left behind");
        // the next run starts cleanly and replaces them
        try (OutputSet outputs = new OutputSet()) {
            outputs.write(a, tmp -> Files.writeString(tmp, "A2"));
            outputs.commit();
        }
        assertEquals("A2", Files.readString(a));
    }

    @Test
    void theSamePathForTwoOutputsIsTheUsersMistake() throws IOException {
        Path a = dir.resolve("a.png");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> {
            try (OutputSet outputs = new OutputSet()) {
                outputs.write(a, tmp -> Files.writeString(tmp, "1"));
                outputs.write(dir.resolve("./a.png"), tmp -> Files.writeString(tmp, "2"));
            }
        });
        assertTrue(e.getMessage().contains("a.png"), e.getMessage());
        assertEquals(List.of(), listAll());
    }

    @Test
    void aFileWhereAFolderShouldBeIsNamed() throws IOException {
        Path file = dir.resolve("afile");
        Files.writeString(file, "x");
        FileSystemException e = assertThrows(FileSystemException.class, () -> {
            try (OutputSet outputs = new OutputSet()) {
                outputs.write(file.resolve("sub/m.png"), tmp -> Files.writeString(tmp, "1"));
            }
        });
        InvalidInputException input = FileErrors.asInputError(e).orElseThrow();
        assertEquals(file + ": is a file where a folder is needed", input.getMessage());
    }

    @Test
    void aFolderIsWrittenWholeOrNotAtAll() throws IOException {
        Path target = dir.resolve("set");
        assertThrows(IOException.class, () -> AtomicFiles.writeFolder(target, tmp -> {
            Files.writeString(tmp.resolve("1.jpg"), "scene");
            diskFullAfterSomeBytes(tmp.resolve("2.jpg"));
        }));
        assertEquals(List.of(), listAll(), "no half set and no temporary folder");
        AtomicFiles.writeFolder(target, tmp -> Files.writeString(tmp.resolve("1.jpg"), "scene"));
        assertEquals("scene", Files.readString(target.resolve("1.jpg")));
        FileSystemException notEmpty = assertThrows(FileSystemException.class,
                () -> AtomicFiles.writeFolder(target, tmp -> {}));
        assertTrue(FileErrors.asInputError(notEmpty).orElseThrow().getMessage().contains("not empty"));
    }

    @Test
    void fileSystemRefusalsAreInputErrorsAndBugsAreNot() {
        assertEquals("/x/y: not found (no such file or folder)",
                FileErrors.asInputError(new java.io.UncheckedIOException(new NoSuchFileException("/x/y"))).orElseThrow()
                        .getMessage());
        assertTrue(FileErrors.asInputError(new java.nio.charset.MalformedInputException(1)).isPresent());
        assertTrue(FileErrors.asInputError(new IllegalStateException("a bug")).isEmpty());
        assertTrue(FileErrors.asInputError(new NullPointerException()).isEmpty());
    }

    private List<Path> listAll() throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(p -> !p.equals(dir)).sorted().toList();
        }
    }
}
