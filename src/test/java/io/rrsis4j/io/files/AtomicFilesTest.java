package io.rrsis4j.io.files;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rrsis4j.io.raster.StripTiffWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void replacesTheFileAndSurvivesWritersThatCloseTheStream() throws Exception {
        Path file = dir.resolve("sub/out.json");
        AtomicFiles.write(file, "old".getBytes(StandardCharsets.UTF_8));
        // Jackson closes the stream it writes to; the channel must still be forced and renamed.
        AtomicFiles.write(file, out -> new ObjectMapper().writeValue(out, Map.of("a", 1)));
        assertEquals("{\"a\":1}", Files.readString(file));
        AtomicFiles.writeChannel(file, ch -> {
            ch.write(ByteBuffer.wrap("xyz".getBytes(StandardCharsets.UTF_8)), 3);
            ch.write(ByteBuffer.wrap("abc".getBytes(StandardCharsets.UTF_8)), 0);
        });
        assertEquals("abcxyz", Files.readString(file));
        assertEquals(List.of(file), Files.list(file.getParent()).toList());
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporary() throws Exception {
        Path file = dir.resolve("out.bin");
        AtomicFiles.write(file, new byte[] {1, 2, 3});
        assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> {
            out.write(new byte[100]);
            throw new IOException("disk full");
        }));
        assertEquals(3, Files.size(file));
        assertEquals(List.of(file), Files.list(dir).toList());
    }

    @Test
    void writtenFilesGetTheUmasksPermissionsNotATemporarysOwnerOnly() throws Exception {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path plain = Files.createFile(dir.resolve("plain"));
        Path atomic = dir.resolve("atomic.json");
        AtomicFiles.write(atomic, new byte[] {1});
        Path tiff = dir.resolve("strip.tif");
        try (StripTiffWriter w = new StripTiffWriter(tiff, 1, 1, 1, 8, null)) {
            w.writeRow(new byte[] {7});
        }
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(atomic));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(tiff));
        Path plainDir = Files.createDirectory(dir.resolve("plain-dir"));
        assertEquals(Files.getPosixFilePermissions(plainDir),
                Files.getPosixFilePermissions(AtomicFiles.createTemporaryDirectory(dir, "tmp-")));

        // In a process with a known umask: 022 gives the usual 0644, 077 owner-only.
        assertEquals("rw-r--r--", permissionsWrittenUnderUmask("022"));
        assertEquals("rw-------", permissionsWrittenUnderUmask("077"));
    }

    private String permissionsWrittenUnderUmask(String umask) throws Exception {
        Path file = dir.resolve("umask-" + umask + ".bin");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder("sh", "-c", "umask " + umask + " && exec \"$0\" -cp \"$1\" \"$2\" \"$3\"",
                java, System.getProperty("java.class.path"), WriteOneFile.class.getName(), file.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    /** Writes the file named by its argument through AtomicFiles, in a process of its own. */
    public static final class WriteOneFile {
        public static void main(String[] args) throws IOException {
            AtomicFiles.write(Path.of(args[0]), new byte[] {1, 2, 3});
        }
    }
}
