package io.rrsis4j.model.weights;

import io.rrsis4j.io.ByteMutations;
import io.rrsis4j.io.torch.TorchFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** weights inspect on mutated torch-written Swin and BERT files: a report or the one-line input error. */
class WeightsReportFuzzTest {
    @TempDir Path dir;

    private void fuzz(String fixture, int cases, long seed) throws Exception {
        byte[] valid = Files.readAllBytes(TorchFixtures.file(fixture));
        Path f = dir.resolve("mutated.pth");
        ByteMutations.assertOnlyInputErrors(fixture, valid, cases, seed, 2000, bytes -> {
            Files.write(f, bytes);
            WeightsReport.describe(f);
        });
    }

    @Test
    void mutatedCheckpointsAreDescribedOrRejected() throws Exception {
        fuzz("bert-old/pytorch_model.bin", 300, 21);
        fuzz("swin-official.pth", 200, 22);
    }
}
