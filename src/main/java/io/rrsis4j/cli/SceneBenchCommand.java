package io.rrsis4j.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.rrsis4j.InvalidInputException;
import io.rrsis4j.bench.SceneBenchmark;
import io.rrsis4j.data.text.WordPieceTokenizer;
import io.rrsis4j.infer.BtdNetSegmenter;
import io.rrsis4j.infer.SceneOptions;
import io.rrsis4j.infer.Segmenter;
import io.rrsis4j.io.files.AtomicFiles;
import io.rrsis4j.model.BtdNet;
import io.rrsis4j.model.BtdNetConfig;
import io.rrsis4j.model.runtime.Predictor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rrsis4j bench scene}: tiled segmentation of synthetic georeferenced scenes of growing size, with time per
 * megapixel and peak heap, to show that time grows with area and memory stays bounded.
 */
@Command(name = "scene", mixinStandardHelpOptions = true,
        description = "Time per megapixel and peak heap of tiled scene segmentation (synthetic GeoTIFFs).")
public final class SceneBenchCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", description = "Model to run (default: a randomly initialised micro BTDNet: speed only).")
    Path checkpoint;

    @Option(names = "--sizes", defaultValue = "2000,4000,8000", split = ",", description = "Scene sides in pixels (default ${DEFAULT-VALUE}).")
    int[] sizes;

    @Option(names = "--tile", description = "Tile side (default: the model input).")
    Integer tile;

    @Option(names = "--overlap", defaultValue = "16", description = "Tile overlap (default ${DEFAULT-VALUE}).")
    int overlap;

    @Mixin
    DeviceOption device = new DeviceOption();

    @Option(names = "--work", description = "Folder for the scenes (default: a temporary folder, deleted after).")
    Path work;

    @Override
    public Integer call() throws Exception {
        if (Arrays.stream(sizes).anyMatch(s -> s < 64)) {
            throw new InvalidInputException("--sizes must all be at least 64 pixels");
        }
        Path dir = work != null ? Files.createDirectories(work) : Files.createTempDirectory("rrsis4j-scene-bench");
        Device on = device.device();
        try (Segmenter segmenter = checkpoint != null ? BtdNetSegmenter.load(checkpoint, on) : randomMicro(on)) {
            int side = tile != null ? tile : segmenter.inputSize();
            SceneOptions options = SceneOptions.defaults(null, null).withTiling(side, overlap).withProgress(false);
            System.out.printf("tiled segmentation, tile %d, overlap %d, model %s%n", side, overlap,
                    checkpoint != null ? checkpoint : "micro (random weights)");
            for (SceneBenchmark.Measurement m : SceneBenchmark.run(segmenter, sizes, dir, options)) {
                System.out.println(m);
            }
        } finally {
            if (work == null) {
                AtomicFiles.deleteTree(dir);
            }
        }
        return 0;
    }

    private static Segmenter randomMicro(Device device) {
        NDManager manager = NDManager.newBaseManager(device);
        BtdNet net = new BtdNet(BtdNetConfig.micro());
        net.initialize(manager, DataType.FLOAT32);
        return new BtdNetSegmenter(new Predictor(net, WordPieceTokenizer.bundled(), manager), manager);
    }
}
