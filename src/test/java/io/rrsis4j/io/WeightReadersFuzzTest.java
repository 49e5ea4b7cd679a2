package io.rrsis4j.io;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutated torch-written checkpoints (zip and legacy) and safetensors files: the readers return or throw the
 * one-line input error, never anything else, and never take long.
 */
class WeightReadersFuzzTest {
    private static final long MAX_MILLIS = 2000; // a hang, not a first-call or GC pause on a shared machine

    @TempDir Path dir;

    /** Each case goes through a file, as the readers take paths. */
    private ByteMutations.Reader throughFile(String name, java.util.function.Consumer<Path> reader) {
        Path f = dir.resolve(name);
        return bytes -> {
            Files.write(f, bytes);
            reader.accept(f);
        };
    }

    @Test
    void torchZipCheckpoint() throws Exception {
        byte[] valid = Files.readAllBytes(TorchFixtures.file("training-checkpoint.pth"));
        int accepted = ByteMutations.assertOnlyInputErrors("torch zip", valid, 1000, 11, MAX_MILLIS,
                throughFile("zip.pth", f -> TorchCheckpointReader.read(f)));
        assertTrue(accepted > 0, "some mutations (inside tensor values) still read");
    }

    @Test
    void torchLegacyCheckpoint() throws Exception {
        byte[] valid = Files.readAllBytes(TorchFixtures.file("legacy.pth"));
        int accepted = ByteMutations.assertOnlyInputErrors("torch legacy", valid, 1000, 12, MAX_MILLIS,
                throughFile("legacy.pth", f -> TorchCheckpointReader.read(f)));
        assertTrue(accepted > 0, "some mutations (inside tensor values) still read");
    }

    @Test
    void describingWithoutValues() throws Exception {
        byte[] valid = Files.readAllBytes(TorchFixtures.file("views.pth"));
        ByteMutations.assertOnlyInputErrors("torch zip, names and shapes", valid, 500, 13, MAX_MILLIS,
                throughFile("views.pth", f -> TorchCheckpointReader.readCheckpoint(f, false).tensorMaps()));
    }

    @Test
    void safetensors() throws Exception {
        byte[] valid = Files.readAllBytes(TorchFixtures.file("views.expected.safetensors"));
        int accepted = ByteMutations.assertOnlyInputErrors("safetensors", valid, 1000, 14, MAX_MILLIS,
                throughFile("x.safetensors", f -> SafetensorsFile.read(f)));
        assertTrue(accepted > 0, "some mutations (inside tensor values) still read");
    }
}
