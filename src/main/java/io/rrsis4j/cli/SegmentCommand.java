package io.rrsis4j.cli;

import ai.djl.Device;
import io.rrsis4j.InvalidInputException;
import io.rrsis4j.data.BinaryMask;
import io.rrsis4j.data.Images;
import io.rrsis4j.data.MaskImages;
import io.rrsis4j.infer.BtdNetSegmenter;
import io.rrsis4j.infer.ConnectedRegions;
import io.rrsis4j.infer.GeoJsonCrs;
import io.rrsis4j.infer.MaskPrediction;
import io.rrsis4j.infer.SceneOptions;
import io.rrsis4j.infer.SceneSegmentation;
import io.rrsis4j.infer.WordMaps;
import io.rrsis4j.io.files.FileErrors;
import io.rrsis4j.io.files.OutputSet;
import io.rrsis4j.io.raster.DecodedImage;
import io.rrsis4j.io.raster.DisplayBands;
import io.rrsis4j.io.raster.GeoRaster;
import io.rrsis4j.model.runtime.BatchChoice;
import io.rrsis4j.model.runtime.Precision;
import io.rrsis4j.model.runtime.Predictor;
import io.rrsis4j.model.runtime.PresenceRule;
import io.rrsis4j.model.weights.TrainedModel;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rrsis4j segment}: image + sentence -> mask PNG at the image's own size (and an overlay), or a batch of
 * pairs from a list file. Options and inputs are checked before the model loads; the outputs of a run are written
 * together ({@link OutputSet}): all of them, or none when anything fails.
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

        @Option(names = "--overlap", description = "With --tile: overlap of neighbouring tiles, at most half the tile (default 64).")
        Integer overlap;

        @Option(names = "--bands", description = "With --tile: 1-based bands shown as RGB, e.g. 3,2,1 (16-bit data is stretched by percentiles).")
        String bands;

        @Option(names = "--geojson", description = "With --tile: also write the mask's polygons (see --geojson-crs).")
        Path geojson;

        @Option(names = "--geojson-crs", paramLabel = "native|wgs84", description = "With --geojson: the scene's CRS"
                + " (needs an EPSG code) or WGS 84 longitude, latitude (RFC 7946). Default: native when the CRS has an"
                + " EPSG code, else wgs84.")
        String geojsonCrs;
    }

    @Option(names = "--out-dir", description = "With --list: folder for the masks and overlays.")
    Path outDir;

    @Option(names = "--threshold", defaultValue = "0.5", description = "Probability above which a pixel is the target, in [0, 1] (default ${DEFAULT-VALUE}).")
    float threshold;

    @Option(names = "--presence-threshold", defaultValue = "" + PresenceRule.DEFAULT_THRESHOLD, description = "Generalized"
            + " models: below this presence probability the sentence names nothing in the image, the mask is empty and"
            + " the answer is \"no target\"; with --tile, per tile (default ${DEFAULT-VALUE}).")
    float presenceThreshold;

    @Mixin
    DeviceOption device = new DeviceOption();

    @Mixin
    PrecisionOption precision = new PrecisionOption();

    @Option(names = "--batch", description = "With --list: pairs per forward pass (default: as many as the free memory"
            + " holds on a GPU, 4 on the CPU; tiles of --tile scenes likewise).")
    Integer batch;

    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    /** The (image, sentence) pairs of a list file. */
    record Pairs(List<Path> images, List<String> sentences, List<Integer> lines) {}

    @Override
    public Integer call() throws IOException {
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new InvalidInputException("--threshold must be in [0, 1], got " + threshold);
        }
        if (batch != null && batch < 1) {
            throw new InvalidInputException("--batch must be at least 1, got " + batch);
        }
        PresenceRule presence = new PresenceRule(presenceThreshold);
        Device on = device.device(); // a GPU asked for where none is usable, or an unusable precision: said first
        Precision forward = precision.value(on);
        TrainedModel.resolve(checkpoint); // a missing checkpoint is reported before the inputs are read
        Single s = input.single;
        if (s != null && s.tile != null && s.explain != null) {
            throw new InvalidInputException("--explain works on one image, not with --tile");
        }
        if (s != null && outDir != null) {
            throw new InvalidInputException("--out-dir is for --list; with --image, name the mask with --out");
        }
        if (s != null && spec.commandLine().getParseResult().hasMatchedOption("--batch")) {
            throw new InvalidInputException("--batch is for --list (pairs per forward pass); leave it out with --image");
        }
        if (s != null && s.tile != null) {
            SceneOptions options = sceneOptions(s);
            ImageOutputNames.require(s.out, "--out", "GeoTIFF mask", "tif", "tiff");
            // a GeoJSON that readers would misplace is refused before anything is written or loaded
            SceneSegmentation.geojsonCoordinates(GeoRaster.open(s.image), options);
            try (OutputSet probe = new OutputSet(s.image)) { // released unwritten: SceneSegmentation claims them again
                probe.reserve(s.out);
                if (s.geojson != null) {
                    probe.reserve(s.geojson);
                }
            }
            try (BtdNetSegmenter segmenter = BtdNetSegmenter.load(checkpoint, on, forward, presence)) {
                segmentScene(segmenter, s, options.withBatchSize(BatchChoice.choose(null, options.batchSize(), on,
                        segmenter.predictor().net().config(), forward)));
            }
        } else if (s != null) {
            checkSingleImageOptions(s);
            ImageOutputNames.require(s.out, "--out", "PNG mask", "png");
            ImageOutputNames.require(s.overlay, "--overlay", "PNG", "png");
            ImageOutputNames.require(s.probability, "--probability", "PNG", "png");
            DecodedImage decoded = Images.decode(s.image);
            BufferedImage image = decoded.image();
            try (OutputSet outputs = new OutputSet(s.image)) {
                for (Path target : new Path[] {s.out, s.overlay, s.probability,
                        s.explain == null ? null : s.explain.resolve(WordMaps.CONTACT_SHEET)}) {
                    if (target != null) {
                        outputs.reserve(target);
                    }
                }
                MaskPrediction prediction;
                List<WordMaps.WordMap> maps = null;
                List<String> warnings = new ArrayList<>(decoded.notes());
                try (BtdNetSegmenter segmenter = BtdNetSegmenter.load(checkpoint, on, forward, presence)) {
                    warnings.addAll(segmenter.sentenceWarnings(s.text));
                    prediction = MaskPrediction.predict(segmenter, List.of(image), List.of(s.text), threshold).get(0);
                    if (s.explain != null) {
                        maps = segmenter.wordMaps(image, s.text);
                    }
                }
                BinaryMask mask = prediction.mask();
                float[] p = prediction.probability();
                write(outputs, image, mask, p, s.out, s.overlay, s.probability);
                // the word maps are outputs of the run too: a folder they cannot go to takes the mask with it
                List<Path> files = maps == null ? null : WordMaps.write(image, maps, s.explain, outputs);
                outputs.commit();
                if (prediction.noTarget()) {
                    System.out.printf(Locale.ROOT, "%s: no target (presence %.2f) -> %s%n", s.image,
                            prediction.presence().probability(), s.out);
                } else {
                    System.out.printf("%s: %d of %d pixels (%.2f%%)%s -> %s%n", s.image, mask.count(), p.length,
                            100.0 * mask.count() / p.length, presenceNote(prediction), s.out);
                }
                warnings.forEach(w -> System.out.println("warning: " + w));
                if (maps != null) {
                    System.out.printf("word maps of %d words -> %s%n", maps.size(), files.get(files.size() - 1));
                }
            }
        } else {
            if (outDir == null) {
                throw new InvalidInputException("--list needs --out-dir for the masks");
            }
            Pairs pairs = readList(input.list);
            List<Path> inputs = new ArrayList<>(pairs.images());
            inputs.add(input.list);
            try (OutputSet outputs = new OutputSet(inputs.toArray(Path[]::new))) {
                for (int i = 0; i < pairs.images().size(); i++) {
                    outputs.reserve(maskOf(i));
                    outputs.reserve(overlayOf(i));
                }
                try (BtdNetSegmenter segmenter = BtdNetSegmenter.load(checkpoint, on, forward, presence)) {
                    segmentList(segmenter, pairs, outputs);
                }
            }
        }
        return 0;
    }

    /** Options that only mean something for a tiled scene are refused rather than silently ignored. */
    private static void checkSingleImageOptions(Single s) {
        BtdNetSegmenter.checkSentence(s.text);
        for (String option : new String[] {s.geojson != null ? "--geojson" : null, s.bands != null ? "--bands" : null,
                s.overlap != null ? "--overlap" : null, s.geojsonCrs != null ? "--geojson-crs" : null}) {
            if (option != null) {
                throw new InvalidInputException(option + " needs --tile (the tiled, georeferenced scene pipeline);"
                        + " add --tile 480, or leave " + option + " out");
            }
        }
    }

    private SceneOptions sceneOptions(Single s) {
        BtdNetSegmenter.checkSentence(s.text);
        if (s.overlay != null || s.probability != null) {
            throw new InvalidInputException((s.overlay != null ? "--overlay" : "--probability")
                    + " is for single images; with --tile the outputs are --out (GeoTIFF mask) and --geojson");
        }
        SceneOptions options = SceneOptions.defaults(s.out, s.geojson).withProgress(output.bars())
                .withTiling(s.tile, s.overlap != null ? s.overlap : 64)
                .withRule(ConnectedRegions.Rule.defaults().withThreshold(threshold));
        if (s.geojsonCrs != null && s.geojson == null) {
            throw new InvalidInputException("--geojson-crs " + s.geojsonCrs + " needs --geojson (the file to write)");
        }
        options = options.withGeojsonCrs(GeoJsonCrs.parse(s.geojsonCrs));
        return s.bands != null ? options.withBands(DisplayBands.parse(s.bands)) : options;
    }

    /** Sliding-window inference over a (georeferenced) scene, memory bounded by tile rows. */
    private static void segmentScene(BtdNetSegmenter segmenter, Single s, SceneOptions options) {
        List<String> warnings = segmenter.sentenceWarnings(s.text);
        SceneSegmentation.Result result = SceneSegmentation.run(segmenter, s.image, s.text, options);
        long kept = result.regions().stream().filter(ConnectedRegions.Region::kept).count();
        System.out.printf("%s (%d x %d, %d tiles, %.1f s): %d region(s) kept -> %s%s%n", s.image, result.width(),
                result.height(), result.tiles(), result.seconds(), kept, s.out, s.geojson == null ? "" : ", " + s.geojson);
        System.out.println("bands shown: " + result.bands());
        if (result.geojsonCoordinates() != null) {
            System.out.println("GeoJSON coordinates: " + result.geojsonCoordinates());
        }
        warnings.forEach(w -> System.out.println("warning: " + w));
    }

    /** Reads and checks every pair before the model loads: a bad line is reported at once, with its number. */
    static Pairs readList(Path list) {
        FileErrors.requireFile(list, "list file");
        List<String> lines;
        try {
            lines = Files.readAllLines(list, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new InvalidInputException(list, "not UTF-8 text (save the list as UTF-8)", e);
        } catch (IOException e) {
            throw new InvalidInputException(list, "cannot read: " + e.getMessage(), e);
        }
        List<Path> images = new ArrayList<>();
        List<String> sentences = new ArrayList<>();
        List<Integer> numbers = new ArrayList<>();
        if (!lines.isEmpty() && lines.get(0).startsWith("\uFEFF")) {
            lines.set(0, lines.get(0).substring(1)); // the byte order mark some editors put before UTF-8 text
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.strip().startsWith("#")) {
                continue;
            }
            int tab = line.indexOf('\t');
            if (tab < 0) {
                throw new InvalidInputException(list, "line " + (i + 1) + " has no TAB between image and sentence");
            }
            if (line.substring(0, tab).isBlank()) {
                throw new InvalidInputException(list, "line " + (i + 1) + " has no image before its TAB");
            }
            Path image;
            try {
                image = Path.of(line.substring(0, tab).strip());
            } catch (java.nio.file.InvalidPathException e) {
                throw new InvalidInputException(list, "line " + (i + 1) + ": not a file name: " + e.getMessage());
            }
            image = image.isAbsolute() ? image : list.toAbsolutePath().getParent().resolve(image);
            if (!Files.isRegularFile(image)) {
                throw new InvalidInputException(list, "line " + (i + 1) + ": image " + image + " not found");
            }
            images.add(image);
            String sentence = line.substring(tab + 1).strip();
            try {
                BtdNetSegmenter.checkSentence(sentence);
            } catch (InvalidInputException e) {
                throw new InvalidInputException(list, "line " + (i + 1) + ": " + e.getMessage());
            }
            sentences.add(sentence);
            numbers.add(i + 1);
        }
        if (images.isEmpty()) {
            throw new InvalidInputException(list, "no IMAGE<TAB>SENTENCE line in the list");
        }
        return new Pairs(images, sentences, numbers);
    }

    private Path maskOf(int pair) {
        return outDir.resolve(String.format("%04d-mask.png", pair));
    }

    private Path overlayOf(int pair) {
        return outDir.resolve(String.format("%04d-overlay.png", pair));
    }

    private void segmentList(BtdNetSegmenter segmenter, Pairs pairs, OutputSet outputs) throws IOException {
        List<Path> images = pairs.images();
        List<String> sentences = pairs.sentences();
        List<String> report = new ArrayList<>();
        List<List<String>> warnings = new ArrayList<>();
        for (int i = 0; i < sentences.size(); i++) { // every sentence as the model reads it, before the first forward
            try {
                warnings.add(new ArrayList<>(segmenter.sentenceWarnings(sentences.get(i))));
            } catch (InvalidInputException e) {
                throw new InvalidInputException(input.list, "line " + pairs.lines().get(i) + ": " + e.getMessage());
            }
        }
        Predictor predictor = segmenter.predictor();
        int perForward = BatchChoice.choose(batch, 4, predictor.manager().getDevice(),
                predictor.net().config(), predictor.precision());
        for (int start = 0; start < images.size(); start += perForward) {
            int end = Math.min(images.size(), start + perForward);
            List<BufferedImage> decoded = new ArrayList<>();
            for (int i = start; i < end; i++) {
                DecodedImage image = Images.decode(images.get(i));
                decoded.add(image.image());
                warnings.get(i).addAll(0, image.notes());
            }
            List<MaskPrediction> predictions = MaskPrediction.predict(segmenter, decoded,
                    sentences.subList(start, end), threshold);
            for (int i = start; i < end; i++) {
                BufferedImage image = decoded.get(i - start);
                MaskPrediction prediction = predictions.get(i - start);
                BinaryMask mask = prediction.mask();
                write(outputs, image, mask, null, maskOf(i), overlayOf(i), null);
                String answer = prediction.noTarget()
                        ? String.format(Locale.ROOT, "no target (presence %.2f)", prediction.presence().probability())
                        : mask.count() + " pixels" + presenceNote(prediction);
                report.add(String.format("%s\t%s\t%s -> %s%s", images.get(i), sentences.get(i), answer,
                        maskOf(i).getFileName(), warnings.get(i).isEmpty() ? ""
                                : "\twarning: " + String.join("; ", warnings.get(i))));
            }
        }
        outputs.commit();
        report.forEach(System.out::println);
    }

    /** ", presence 0.97" for a generalized model's answer; nothing for a model without the head (its lines as before). */
    private static String presenceNote(MaskPrediction prediction) {
        return prediction.presence().judged()
                ? String.format(Locale.ROOT, ", presence %.2f", prediction.presence().probability()) : "";
    }

    private static void write(OutputSet outputs, BufferedImage image, BinaryMask mask, float[] probability, Path out,
                              Path overlay, Path probabilityPng) throws IOException {
        outputs.write(out, tmp -> MaskImages.writeMask(mask, tmp));
        if (overlay != null) {
            outputs.write(overlay, tmp -> MaskImages.writeOverlay(image, mask, tmp));
        }
        if (probabilityPng != null) {
            outputs.write(probabilityPng, tmp -> MaskImages.writeProbability(probability, image.getWidth(),
                    image.getHeight(), tmp));
        }
    }
}
