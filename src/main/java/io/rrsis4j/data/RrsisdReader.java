package io.rrsis4j.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rrsis4j.InvalidInputException;
import io.rrsis4j.io.files.FileErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import net.razorvine.pickle.Unpickler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads an RRSIS-D folder as released ({@code rrsisd/refs(unc).p}, {@code rrsisd/instances.json},
 * {@code images/rrsisd/JPEGImages/}). Every sentence of every ref of the split is one sample.
 * Listing parses the pickle and the JSON and checks the annotations; images and masks are decoded
 * only when a sample's mask is loaded.
 */
public final class RrsisdReader {
    private static final Logger LOG = LoggerFactory.getLogger(RrsisdReader.class);
    private final AtomicBoolean sizeWarned = new AtomicBoolean();

    /** Samples of a split ("train", "val", "test"; a split containing "test" is test). */
    public List<ReferringSample> read(Path root, String split) {
        Path refsFile = root.resolve("rrsisd").resolve("refs(unc).p");
        Path instancesFile = root.resolve("rrsisd").resolve("instances.json");
        Path imageDir = root.resolve("images").resolve("rrsisd").resolve("JPEGImages");
        List<?> refs = readRefs(refsFile);
        Map<Long, ImageEntry> images = new HashMap<>();
        Map<Long, JsonNode> annotations = new HashMap<>();
        Map<Long, String> categories = new HashMap<>();
        readInstances(instancesFile, images, annotations, categories);
        String wanted = DatasetSplits.normalize(split);
        List<ReferringSample> samples = new ArrayList<>();
        for (Object o : refs) {
            if (!(o instanceof Map<?, ?> ref)) {
                throw new InvalidInputException(refsFile, "a ref is not a dict but " + typeName(o));
            }
            // Only strings and numbers are turned into text: a corrupt pickle can nest a container in itself.
            if (!(ref.get("split") instanceof String splitName)) {
                throw new InvalidInputException(refsFile, "a ref's 'split' is not a string but " + typeName(ref.get("split")));
            }
            String refSplit = DatasetSplits.normalize(splitName);
            if (!refSplit.equals(wanted)) {
                continue;
            }
            long refId = number(refsFile, ref, "ref_id");
            long annId = number(refsFile, ref, "ann_id");
            JsonNode ann = annotations.get(annId);
            if (ann == null) {
                throw new InvalidInputException(instancesFile, "no annotation with id " + annId + " (ref " + refId + ")");
            }
            long imageId = ann.path("image_id").asLong(ref.get("image_id") instanceof Number n ? n.longValue() : -1);
            ImageEntry image = images.get(imageId);
            if (image == null) {
                throw new InvalidInputException(instancesFile, "no image with id " + imageId + " (annotation " + annId + ")");
            }
            Path imagePath;
            try {
                imagePath = imageDir.resolve(image.fileName);
            } catch (java.nio.file.InvalidPathException e) {
                throw new InvalidInputException(instancesFile, "image " + imageId + " has a file_name that is no file name");
            }
            if (!Files.isRegularFile(imagePath)) {
                throw new InvalidInputException(imagePath, "image of annotation " + annId + " not found");
            }
            ReferringSample.MaskSource mask = maskSource(instancesFile, ann, annId, image, imagePath);
            String category = categories.getOrDefault(ann.path("category_id").asLong(), "");
            if (!(ref.get("sentences") instanceof List<?> sentences)) {
                throw new InvalidInputException(refsFile, "ref " + refId + " has no list of sentences");
            }
            for (Object s : sentences) {
                if (!(s instanceof Map<?, ?> sent)) {
                    throw new InvalidInputException(refsFile, "ref " + refId + " has a sentence that is not a dict");
                }
                Object raw = sent.get("raw") != null ? sent.get("raw") : sent.get("sent");
                if (!(raw instanceof String)) {
                    throw new InvalidInputException(refsFile, "ref " + refId + " has a sentence without a 'raw' or 'sent' string");
                }
                Object sentId = sent.get("sent_id") instanceof Number || sent.get("sent_id") instanceof String
                        ? sent.get("sent_id") : null;
                samples.add(new ReferringSample("ref" + refId + "_sent" + sentId, String.valueOf(imageId), imagePath,
                        raw.toString(), category, refSplit, mask));
            }
        }
        return samples;
    }

    /** The split names the refs use (normalised, in the order met). */
    public java.util.Set<String> splits(Path root) {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        for (Object o : readRefs(root.resolve("rrsisd").resolve("refs(unc).p"))) {
            if (o instanceof Map<?, ?> ref && ref.get("split") instanceof String name) {
                names.add(DatasetSplits.normalize(name));
            }
        }
        return names;
    }

    private record ImageEntry(String fileName, int height, int width) {}

    private static List<?> readRefs(Path file) {
        FileErrors.requireFile(file, "refs pickle");
        Object refs;
        try {
            byte[] bytes = Files.readAllBytes(file);
            PickleOpcodes.check(file, bytes);
            refs = new Unpickler().loads(bytes);
        } catch (InvalidInputException e) {
            throw e;
        } catch (IOException | RuntimeException | StackOverflowError e) {
            // StackOverflowError: a corrupt memo can make a container hold itself, and hashing it never ends
            throw new InvalidInputException(file, "not a readable Python pickle: " + e, e);
        }
        if (!(refs instanceof List<?> list)) {
            throw new InvalidInputException(file, "expected a pickled list of refs, found " + typeName(refs));
        }
        return list;
    }

    private static void readInstances(
            Path file, Map<Long, ImageEntry> images, Map<Long, JsonNode> annotations, Map<Long, String> categories) {
        FileErrors.requireFile(file, "COCO instances file");
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new InvalidInputException(file, "not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.path("images").isArray() || !root.path("annotations").isArray()) {
            throw new InvalidInputException(file, "expected a COCO object with 'images' and 'annotations' arrays");
        }
        for (JsonNode img : root.get("images")) {
            if (!img.hasNonNull("file_name")) {
                throw new InvalidInputException(file, "image " + img.path("id") + " has no file_name");
            }
            images.put(img.path("id").asLong(), new ImageEntry(
                    img.get("file_name").asText(), img.path("height").asInt(0), img.path("width").asInt(0)));
        }
        for (JsonNode ann : root.get("annotations")) {
            annotations.put(ann.path("id").asLong(), ann);
        }
        for (JsonNode cat : root.path("categories")) {
            categories.put(cat.path("id").asLong(), cat.path("name").asText(""));
        }
    }

    /** Parses and checks the segmentation now; rasterises it only when the mask is loaded. */
    private ReferringSample.MaskSource maskSource(Path file, JsonNode ann, long annId, ImageEntry image, Path imagePath) {
        JsonNode seg = ann.get("segmentation");
        String where = "annotation " + annId + ": ";
        try {
            if (seg == null || seg.isNull()) {
                throw new IllegalArgumentException("no segmentation");
            }
            if (seg.isArray()) {
                List<double[]> polygons = new ArrayList<>();
                for (JsonNode poly : seg) {
                    if (!poly.isArray()) {
                        throw new IllegalArgumentException("polygon is not a list of numbers");
                    }
                    double[] xy = new double[poly.size()];
                    for (int i = 0; i < xy.length; i++) {
                        if (!poly.get(i).isNumber()) {
                            throw new IllegalArgumentException("polygon has a non-number coordinate " + poly.get(i));
                        }
                        xy[i] = poly.get(i).asDouble();
                    }
                    if (xy.length % 2 != 0) {
                        throw new IllegalArgumentException("polygon has an odd number of coordinates (" + xy.length + ")");
                    }
                    polygons.add(xy);
                }
                int h = image.height;
                int w = image.width;
                if (h <= 0 || w <= 0) {
                    throw new IllegalArgumentException("image " + image.fileName + " declares no height/width for its polygons");
                }
                checkMaskSize(h, w);
                return () -> fitToFile(decodeOrThrow(file, where, () -> CocoMasks.rasterize(polygons, h, w)), imagePath);
            }
            JsonNode size = seg.get("size");
            JsonNode countsNode = seg.get("counts");
            if (size == null || !size.isArray() || size.size() != 2 || countsNode == null) {
                throw new IllegalArgumentException("RLE needs 'size' [h, w] and 'counts'");
            }
            int h = size.get(0).asInt();
            int w = size.get(1).asInt();
            checkMaskSize(h, w);
            long[] counts;
            if (countsNode.isTextual()) {
                counts = CocoMasks.fromCompressedString(countsNode.asText());
            } else if (countsNode.isArray()) {
                counts = new long[countsNode.size()];
                for (int i = 0; i < counts.length; i++) {
                    counts[i] = countsNode.get(i).asLong();
                }
            } else {
                throw new IllegalArgumentException("RLE counts are neither a string nor a list");
            }
            long total = 0;
            for (long c : counts) {
                total += c;
            }
            if (total != (long) h * w) {
                throw new IllegalArgumentException(
                        "RLE counts sum to " + total + ", not height x width = " + h + " x " + w + " = " + (long) h * w);
            }
            return () -> fitToFile(decodeOrThrow(file, where, () -> CocoMasks.decode(counts, h, w)), imagePath);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(file, where + e.getMessage(), e);
        }
    }

    /** Largest mask side: far beyond any aerial benchmark image, and h x w stays well inside an array. */
    private static final int MAX_MASK_SIDE = 16384;

    private static void checkMaskSize(int h, int w) {
        if (h <= 0 || w <= 0 || h > MAX_MASK_SIDE || w > MAX_MASK_SIDE) {
            throw new IllegalArgumentException("mask size " + h + " x " + w + " is not 1 to " + MAX_MASK_SIDE + " per side");
        }
    }

    private interface Decoder {
        BinaryMask decode();
    }

    private static BinaryMask decodeOrThrow(Path file, String where, Decoder d) {
        try {
            return d.decode();
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(file, where + e.getMessage(), e);
        }
    }

    /** Some released images differ in size from what their annotation says: follow the file. */
    private BinaryMask fitToFile(BinaryMask mask, Path imagePath) {
        int[] wh = Images.size(imagePath);
        if (wh[0] == mask.width() && wh[1] == mask.height()) {
            return mask;
        }
        if (wh[0] != wh[1] && wh[0] == mask.height() && wh[1] == mask.width()) { // sides swapped: an EXIF turn the annotation did not see
            throw new io.rrsis4j.InvalidInputException(imagePath, "is " + wh[0] + " x " + wh[1] + " upright (as its EXIF "
                    + "orientation says) but its annotation is " + mask.width() + " x " + mask.height() + ": the mask was "
                    + "drawn on the unturned pixels; remove the tag (exiftool -Orientation= FILE) to read it as annotated");
        }
        if (sizeWarned.compareAndSet(false, true)) {
            LOG.info("{} is {} x {} but its annotation says {} x {}: mask resized (nearest) to the file's size"
                    + " (said once; other images may differ too)", imagePath, wh[0], wh[1], mask.width(), mask.height());
        }
        return mask.resizeNearest(wh[0], wh[1]);
    }

    private static long number(Path file, Map<?, ?> ref, String key) {
        if (ref.get(key) instanceof Number n) {
            return n.longValue();
        }
        throw new InvalidInputException(file, "a ref has no number '" + key + "'");
    }

    private static String typeName(Object o) {
        return o == null ? "None" : o.getClass().getSimpleName();
    }
}
