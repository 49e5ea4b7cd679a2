package io.rrsis4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
}
