package io.rrsis4j.io.torch;

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

    /**
     * torchvision's SwinTransformer key to the official microsoft/Swin-Transformer key (features.0.0 is
     * patch_embed.proj, features.{2s+1}.{b} is layers.s.blocks.b with mlp.0/mlp.3 as mlp.fc1/fc2, features.{2s+2} is
     * layers.s.downsample). The mapping lives in the tests: the product reads the official layout.
     */
    public static String officialSwinName(String name) {
        String[] p = name.split("\\.", 4);
        if (!p[0].equals("features")) {
            return name;
        }
        int i = Integer.parseInt(p[1]);
        if (i == 0) {
            return (p[2].equals("0") ? "patch_embed.proj." : "patch_embed.norm.") + p[3];
        }
        if (i % 2 == 1) {
            String rest = p[3].replace("mlp.0.", "mlp.fc1.").replace("mlp.3.", "mlp.fc2.");
            return "layers." + (i - 1) / 2 + ".blocks." + p[2] + "." + rest;
        }
        return "layers." + (i - 2) / 2 + ".downsample." + p[2] + "." + p[3];
    }
}
