package io.rrsis4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;

/**
 * The checkpoints torch itself wrote (src/test/python/make_torch_fixtures.py, torch 1.13) under
 * src/test/resources/fixtures/torch/, each X.pth with X.expected.safetensors: the tensors torch saved, widened
 * to F32/I64, and the reference network's inputs and outputs as "reference.*".
 */
public final class TorchFixtures {
    public static final String DIR = "/fixtures/torch/";

    private TorchFixtures() {}

    public static Path file(String name) {
        try {
            return Path.of(TorchFixtures.class.getResource(DIR + name).toURI());
        } catch (Exception e) {
            throw new IllegalStateException("fixture " + name + " missing; run src/test/python/make_torch_fixtures.py", e);
        }
    }

    /** The expected tensors of fixture {@code stem} (e.g. "views" for views.pth). */
    public static Map<String, TensorData> expected(String stem) {
        return SafetensorsFile.read(file(stem + ".expected.safetensors"));
    }

    /** Same shape and bit-identical values (NaN equals NaN, -0.0 differs from 0.0). */
    public static void assertSameTensor(TensorData want, TensorData got, String name) {
        assertArrayEquals(want.shape(), got.shape(), name + " shape");
        assertEquals(want.isFloat(), got.isFloat(), name + " float or integer");
        if (want.isFloat()) {
            assertArrayEquals(want.floats(), got.floats(), name);
        } else {
            assertArrayEquals(want.longs(), got.longs(), name);
        }
    }
}
