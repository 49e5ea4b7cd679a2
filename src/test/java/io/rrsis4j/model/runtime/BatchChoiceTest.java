package io.rrsis4j.model.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.rrsis4j.InvalidInputException;
import io.rrsis4j.model.BtdNetConfig;
import org.junit.jupiter.api.Test;

class BatchChoiceTest {
    private static final long GIB = 1L << 30;

    @Test
    void aGivenBatchWinsAndTheCpuKeepsItsDefault() {
        BtdNetConfig base = BtdNetConfig.named("base");
        assertEquals(3, BatchChoice.choose(3, 8, Device.gpu(), base, Precision.FP16));
        assertEquals(8, BatchChoice.choose(null, 8, Device.cpu(), base, Precision.FP32));
        assertEquals(-1, DeviceMemory.freeBytes(Device.cpu()));
    }

    @Test
    void theBatchFillsFourFifthsOfTheFreeMemoryWithinBounds() {
        assertEquals(8, BatchChoice.fromFreeMemory(10 * GIB, GIB));
        assertEquals(1, BatchChoice.fromFreeMemory(GIB / 2, GIB)); // one image is always tried
        assertEquals(BatchChoice.MAX, BatchChoice.fromFreeMemory(1000 * GIB, GIB / 100));
    }

    @Test
    void anImagesEstimateFollowsTheShapesAndThePrecision() {
        BtdNetConfig base = BtdNetConfig.named("base");
        long fp32 = BatchChoice.bytesPerImage(base, Precision.FP32);
        assertEquals(fp32 / 2, BatchChoice.bytesPerImage(base, Precision.FP16), fp32 / 100.0);
        // the base forward at 480 px: one Swin block's attention piece at stride 4 dominates, 100-400 MiB
        assertTrue(fp32 > 100L << 20 && fp32 < 400L << 20, "estimate " + (fp32 >> 20) + " MiB");
        assertTrue(BatchChoice.bytesPerImage(BtdNetConfig.micro(), Precision.FP32) < fp32 / 10);
        // at 139 GB free (an H200) the base model in fp32 runs well beyond 64 images per forward
        assertTrue(BatchChoice.fromFreeMemory(139 * GIB, fp32) >= 64);
    }

    @Test
    void autoPrecisionIsHalfOnAGpuAndFloatOnTheCpu() {
        assertEquals(Precision.FP16, Precision.forDevice("auto", Device.gpu()));
        assertEquals(Precision.FP32, Precision.forDevice("AUTO", Device.cpu()));
        assertEquals(Precision.FP32, Precision.forDevice("fp32", Device.gpu()));
        assertThrows(InvalidInputException.class, () -> Precision.forDevice("fp8", Device.cpu()));
    }
}
