package io.rrsis4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.rrsis4j.InvalidInputException;
import io.rrsis4j.cli.Main;
import io.rrsis4j.data.text.WordPieceTokenizer;
import io.rrsis4j.model.BtdNet;
import io.rrsis4j.model.BtdNetConfig;
import io.rrsis4j.model.runtime.Precision;
import io.rrsis4j.model.runtime.Predictor;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** float16 against float32 on the same inputs, and the refusal of bfloat16 (which would abort the JVM). */
class PrecisionComparisonTest {
    @Test
    void halfPrecisionForwardOfTheMicroModelKeepsItsMasks() {
        ModelBenchmark bench = new ModelBenchmark(BtdNetConfig.micro(), 2, Device.cpu());
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            BtdNet net = bench.create(m);
            NDList in = bench.inputs(m, false);
            PrecisionComparison.Result r = PrecisionComparison.compare(net, in, Precision.FP16);
            assertEquals(2L * 96 * 96, r.pixels());
            // fp16 really ran (the logits moved) and moved them little: a float16 has 11 significant bits
            assertTrue(r.maxLogitDifference() > 0, r.toString());
            assertTrue(r.maxLogitDifference() < 0.01 * r.logitScale(), r.toString());
            assertTrue(r.pixelAgreement() > 0.99, r.toString());
            assertTrue(r.maskIoU() > 0.95, r.toString());
        }
    }

    @Test
    void aHalfPrecisionPredictorGivesTheSameProbabilitiesInFloat32() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            BtdNet net = new ModelBenchmark(BtdNetConfig.micro(), 1, Device.cpu()).create(m);
            Predictor full = new Predictor(net, WordPieceTokenizer.bundled(), m);
            Predictor half = full.inPrecision(Precision.FP16);
            BufferedImage image = new BufferedImage(120, 80, BufferedImage.TYPE_INT_RGB);
            image.getGraphics().fillRect(20, 10, 50, 40);
            List<String> sentence = List.of("the white building on the left");
            float[] a = full.atImageSize(List.of(image), sentence).get(0);
            float[] b = half.atImageSize(List.of(image), sentence).get(0);
            assertEquals(120 * 80, b.length);
            double max = 0;
            for (int i = 0; i < a.length; i++) {
                max = Math.max(max, Math.abs(a[i] - b[i]));
            }
            assertTrue(max > 0 && max < 0.01, "largest probability difference " + max);
            assertEquals(Precision.FP32, full.precision());
        }
    }

    @Test
    void bfloat16IsRefusedInOneLineAndTheCommandComparesFp16() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Precision.parse("bf16"));
        assertTrue(e.getMessage().startsWith("--precision bf16: the PyTorch JNI of DJL 0.36 has no bfloat16 type"), e.getMessage());
        assertEquals(Precision.FP16, Precision.parse("FP16"));
        assertThrows(InvalidInputException.class, () -> Precision.parse("int8"));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.run("bench", "precision", "--config", "micro", "--batch", "1", "--precision", "fp16",
                    "--device", "cpu"));
            assertEquals(2, Main.run("bench", "precision", "--precision", "bf16"));
            assertEquals(2, Main.run("bench", "model", "--config", "micro", "--precision", "bf16"));
        } finally {
            System.setOut(old);
        }
        String said = out.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("fp16 vs fp32 on 9216 pixels: mask IoU "), said);
    }
}
