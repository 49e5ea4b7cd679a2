package io.rrsis4j.io.torch;

import io.rrsis4j.io.ByteMutations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mutated torch-written checkpoints (zip and legacy) and safetensors files: the readers return or throw the
 * one-line input error, never anything else, and never take long.
 */
class WeightReadersFuzzTest {
    private static final long MAX_MILLIS = 2000; // a hang, not a first-call or GC pause on a shared machine

    @TempDir Path dir;

    /**
     * Feeds mutations of a fixture to a reader through a file (the readers take paths).
     *
     * @param someRead whether some mutations must still read (those that only touch tensor values)
     */
    private void fuzz(String fixture, int cases, long seed, boolean someRead, Consumer<Path> reader) throws Exception {
        byte[] valid = Files.readAllBytes(TorchFixtures.file(fixture));
        Path f = dir.resolve("mutated-" + fixture);
        int accepted = ByteMutations.assertOnlyInputErrors(fixture, valid, cases, seed, MAX_MILLIS, bytes -> {
            Files.write(f, bytes);
            reader.accept(f);
        });
        assertTrue(!someRead || accepted > 0, fixture + ": no mutation read, so values were never reached");
    }

    @Test
    void torchZipCheckpoint() throws Exception {
        fuzz("training-checkpoint.pth", 1000, 11, true, TorchCheckpointReader::read);
    }

    @Test
    void torchLegacyCheckpoint() throws Exception {
        fuzz("legacy.pth", 1000, 12, true, TorchCheckpointReader::read);
    }

    @Test
    void describingWithoutValues() throws Exception {
        fuzz("views.pth", 500, 13, false, f -> TorchCheckpointReader.readCheckpoint(f, false).tensorMaps());
    }

    @Test
    void safetensors() throws Exception {
        fuzz("views.expected.safetensors", 1000, 14, true, SafetensorsFile::read);
    }
}
