package io.rrsis4j.cli;

import io.rrsis4j.InvalidInputException;
import io.rrsis4j.data.BinaryMask;
import io.rrsis4j.data.Images;
import io.rrsis4j.data.MaskImages;
import io.rrsis4j.infer.BtdNetSegmenter;
import io.rrsis4j.infer.ConnectedRegions;
import io.rrsis4j.infer.SceneOptions;
import io.rrsis4j.infer.SceneSegmentation;
import io.rrsis4j.infer.WordMaps;
import io.rrsis4j.model.TrainedModel;
import io.rrsis4j.io.DisplayBands;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rrsis4j segment}: image + sentence -> mask PNG at the image's own size (and an overlay), or a batch of
 * pairs from a list file.
 */
@Command(name = "segment", mixinStandardHelpOptions = true,
        description = "Segment the object a sentence refers to, in one image or a list of (image, sentence) pairs.")
public final class SegmentCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, description = "Checkpoint folder or training run folder.")
    Path checkpoint;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @ArgGroup(exclusive = false)
        Single single;

        @Option(names = "--list", description = "Text file, one pair a line: IMAGE<TAB>SENTENCE; masks go to --out-dir.")
        Path list;
    }

    static final class Single {
        @Option(names = "--image", required = true, description = "Image (PNG, JPEG, TIFF).")
        Path image;

        @Option(names = "--text", required = true, description = "The referring sentence.")
        String text;

        @Option(names = "--out", required = true, description = "Mask PNG to write (0 / 255, the image's size).")
        Path out;

        @Option(names = "--overlay", description = "Also write the image with the mask drawn over it.")
        Path overlay;

        @Option(names = "--probability", description = "Also write the target probability as a grey PNG.")
        Path probability;

        @Option(names = "--explain", description = "Also write, into this folder, a heatmap per word of where each BSC "
                + "stage's text-to-image attention looks (NN-WORD.png, and contact-sheet.png with all words).")
        Path explain;

        @Option(names = "--tile", description = "Large scene: slide a window of this many pixels (e.g. 480); --out is then a GeoTIFF mask.")
        Integer tile;

        @Option(names = "--overlap", defaultValue = "64", description = "With --tile: overlap of neighbouring tiles (default ${DEFAULT-VALUE}).")
        int overlap;

        @Option(names = "--bands", description = "With --tile: 1-based bands shown as RGB, e.g. 3,2,1 (16-bit data is stretched by percentiles).")
        String bands;

        @Option(names = "--geojson", description = "With --tile: also write the mask's polygons in the scene's CRS.")
        Path geojson;
    }

    @Option(names = "--out-dir", description = "With --list: folder for the masks and overlays.")
    Path outDir;

    @Option(names = "--threshold", defaultValue = "0.5", description = "Probability above which a pixel is the target (default ${DEFAULT-VALUE}).")
    float threshold;

    @Option(names = "--batch", defaultValue = "4", description = "With --list: pairs per forward pass (default ${DEFAULT-VALUE}).")
    int batch;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws IOException {
        long start = System.nanoTime();
        try (BtdNetSegmenter segmenter = BtdNetSegmenter.load(checkpoint)) {
            output.detail("loaded %s in %.1f s", checkpoint, (System.nanoTime() - start) / 1e9);
            if (input.single != null && input.single.tile != null && input.single.explain != null) {
                throw new InvalidInputException("--explain works on one image, not with --tile");
            }
            if (input.single != null && input.single.tile != null) {
                segmentScene(segmenter, input.single, output.bars());
            } else if (input.single != null) {
                Single s = input.single;
                BtdNetSegmenter.checkSentence(s.text);
                BufferedImage image = Images.read(s.image);
                float[] p = segmenter.targetProbability(image, s.text);
                BinaryMask mask = threshold(p, image.getWidth(), image.getHeight(), threshold);
                write(image, mask, p, s.out, s.overlay, s.probability);
                System.out.printf("%s: %d of %d pixels (%.2f%%) -> %s%n", s.image, mask.count(), p.length,
                        100.0 * mask.count() / p.length, s.out);
                if (s.explain != null) {
                    List<WordMaps.WordMap> maps = segmenter.wordMaps(image, s.text);
                    List<Path> files = WordMaps.write(image, maps, s.explain);
                    System.out.printf("word maps of %d words -> %s%n", maps.size(), files.get(files.size() - 1));
                }
            } else {
                segmentList(segmenter);
            }
        }
        output.detail("done in %.1f s", (System.nanoTime() - start) / 1e9);
        return 0;
    }

    /** Sliding-window inference over a (georeferenced) scene, memory bounded by tile rows. */
    private static void segmentScene(BtdNetSegmenter segmenter, Single s, boolean progressBar) {
        BtdNetSegmenter.checkSentence(s.text);
        if (s.tile < 32 || s.overlap < 0 || s.overlap >= s.tile) {
            throw new InvalidInputException("--tile must be at least 32 and --overlap in [0, tile): got " + s.tile + " and " + s.overlap);
        }
        SceneOptions options = SceneOptions.defaults(s.out, s.geojson).withTiling(s.tile, s.overlap)
                .withProgress(progressBar);
        if (s.bands != null) {
            options = options.withBands(DisplayBands.parse(s.bands));
        }
        SceneSegmentation.Result result = SceneSegmentation.run(segmenter, s.image, s.text, options);
        long kept = result.regions().stream().filter(ConnectedRegions.Region::kept).count();
        System.out.printf("%s (%d x %d, %d tiles, %.1f s): %d region(s) kept -> %s%s%n", s.image, result.width(),
                result.height(), result.tiles(), result.seconds(), kept, s.out, s.geojson == null ? "" : ", " + s.geojson);
    }

    private void segmentList(BtdNetSegmenter segmenter) throws IOException {
        if (outDir == null) {
            throw new InvalidInputException("--list needs --out-dir for the masks");
        }
        List<Path> images = new ArrayList<>();
        List<String> sentences = new ArrayList<>();
        List<String> lines = Files.readAllLines(input.list, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int tab = line.indexOf('\t');
            if (tab < 0) {
                throw new InvalidInputException(input.list, "line " + (i + 1) + " has no TAB between image and sentence");
            }
            Path image = Path.of(line.substring(0, tab).strip());
            images.add(image.isAbsolute() ? image : input.list.toAbsolutePath().getParent().resolve(image));
            String sentence = line.substring(tab + 1).strip();
            BtdNetSegmenter.checkSentence(sentence);
            sentences.add(sentence);
        }
        Files.createDirectories(outDir);
        for (int start = 0; start < images.size(); start += Math.max(1, batch)) {
            int end = Math.min(images.size(), start + Math.max(1, batch));
            List<BufferedImage> decoded = new ArrayList<>();
            for (Path p : images.subList(start, end)) {
                decoded.add(Images.read(p));
            }
            List<float[]> probabilities = segmenter.targetProbability(decoded, sentences.subList(start, end));
            for (int i = start; i < end; i++) {
                BufferedImage image = decoded.get(i - start);
                BinaryMask mask = threshold(probabilities.get(i - start), image.getWidth(), image.getHeight(), threshold);
                String name = String.format("%04d", i);
                write(image, mask, null, outDir.resolve(name + "-mask.png"), outDir.resolve(name + "-overlay.png"), null);
                System.out.printf("%s\t%s\t%d pixels -> %s-mask.png%n", images.get(i), sentences.get(i), mask.count(), name);
            }
        }
    }

    static BinaryMask threshold(float[] probability, int width, int height, float threshold) {
        return BinaryMask.above(probability, width, height, threshold);
    }

    private static void write(BufferedImage image, BinaryMask mask, float[] probability, Path out, Path overlay,
                              Path probabilityPng) throws IOException {
        MaskImages.writeMask(mask, out);
        if (overlay != null) {
            MaskImages.writeOverlay(image, mask, overlay);
        }
        if (probabilityPng != null) {
            MaskImages.writeProbability(probability, image.getWidth(), image.getHeight(), probabilityPng);
        }
    }
}
