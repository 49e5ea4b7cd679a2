package io.rrsis4j.io.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rrsis4j.InvalidInputException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FileErrorsTest {
    @Test
    void aFolderNothingCanBeWrittenToIsNamedWithTheProblemNotTheTemporaryFile() {
        Path target = Path.of("/proc/rrsis4j-mask.png"); // no file can be created in /proc, not even by root
        FileSystemException e = assertThrows(FileSystemException.class, () -> AtomicFiles.write(target, new byte[] {1}));
        InvalidInputException error = FileErrors.describe(e);
        assertEquals(target + ": cannot write here: not found (no such file or folder)", error.getMessage());
        assertFalse(Files.exists(target));
    }
}
