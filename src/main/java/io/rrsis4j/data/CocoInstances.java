package io.rrsis4j.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rrsis4j.InvalidInputException;
import io.rrsis4j.io.files.FileErrors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A COCO {@code instances.json} as the referring datasets ship it (RRSIS-D, gRefCOCO): its images, annotations and
 * category names, and each annotation's segmentation (polygons, compressed or list RLE) checked when listed and
 * rasterised only when a mask is loaded.
 */
final class CocoInstances {
    private static final Logger LOG = LoggerFactory.getLogger(CocoInstances.class);
    /** Largest mask side: far beyond any aerial benchmark image, and h x w stays well inside an array. */
    private static final int MAX_MASK_SIDE = 16384;

    /** An entry of {@code images}. */
    record Image(long id, String fileName, int height, int width) {}

    /** Rasterises one annotation at the size its segmentation gives. */
    interface Decoder {
        BinaryMask decode();
    }

    final Path file;
    final Map<Long, Image> images = new HashMap<>();
    final Map<Long, JsonNode> annotations = new HashMap<>();
    final Map<Long, String> categories = new HashMap<>();
    private final AtomicBoolean sizeWarned = new AtomicBoolean();

    private CocoInstances(Path file) {
        this.file = file;
    }

    static CocoInstances read(Path file) {
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
        CocoInstances coco = new CocoInstances(file);
        for (JsonNode img : root.get("images")) {
            if (!img.hasNonNull("file_name")) {
                throw new InvalidInputException(file, "image " + img.path("id") + " has no file_name");
            }
            long id = img.path("id").asLong();
            coco.images.put(id, new Image(id, img.get("file_name").asText(), img.path("height").asInt(0),
                    img.path("width").asInt(0)));
        }
        for (JsonNode ann : root.get("annotations")) {
            coco.annotations.put(ann.path("id").asLong(), ann);
        }
        for (JsonNode cat : root.path("categories")) {
            coco.categories.put(cat.path("id").asLong(), cat.path("name").asText(""));
        }
        return coco;
    }

    /** COCO's crowd flag (crowd regions are skipped by the gRefCOCO loader). */
    static boolean isCrowd(JsonNode ann) {
        JsonNode c = ann.get("iscrowd");
        return c != null && (c.asInt(0) != 0 || c.asBoolean(false));
    }

    /**
     * Parses and checks an annotation's segmentation now; the returned decoder rasterises it. With
     * {@code dropInvalidPolygons} polygons of fewer than 3 points or an odd number of coordinates are left out, as
     * ReLA's gRefCOCO loader does; otherwise they are refused, as for RRSIS-D.
     */
    Decoder segmentation(JsonNode ann, long annId, Image image, boolean dropInvalidPolygons) {
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
                    boolean valid = xy.length % 2 == 0 && xy.length >= 6;
                    if (!valid && dropInvalidPolygons) {
                        continue;
                    }
                    if (xy.length % 2 != 0) {
                        throw new IllegalArgumentException("polygon has an odd number of coordinates (" + xy.length + ")");
                    }
                    polygons.add(xy);
                }
                int h = image.height();
                int w = image.width();
                if (h <= 0 || w <= 0) {
                    throw new IllegalArgumentException("image " + image.fileName() + " declares no height/width for its polygons");
                }
                checkMaskSize(h, w);
                return () -> decodeOrThrow(where, () -> CocoMasks.rasterize(polygons, h, w));
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
            return () -> decodeOrThrow(where, () -> CocoMasks.decode(counts, h, w));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(file, where + e.getMessage(), e);
        }
    }

    private static void checkMaskSize(int h, int w) {
        if (h <= 0 || w <= 0 || h > MAX_MASK_SIDE || w > MAX_MASK_SIDE) {
            throw new IllegalArgumentException("mask size " + h + " x " + w + " is not 1 to " + MAX_MASK_SIDE + " per side");
        }
    }

    private BinaryMask decodeOrThrow(String where, Decoder d) {
        try {
            return d.decode();
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(file, where + e.getMessage(), e);
        }
    }

    /** Some released images differ in size from what their annotation says: follow the file. */
    BinaryMask fitToFile(BinaryMask mask, Path imagePath) {
        int[] wh = Images.size(imagePath);
        if (wh[0] == mask.width() && wh[1] == mask.height()) {
            return mask;
        }
        if (sizeWarned.compareAndSet(false, true)) {
            LOG.info("{} is {} x {} but its annotation says {} x {}: mask resized (nearest) to the file's size"
                    + " (said once; other images may differ too)", imagePath, wh[0], wh[1], mask.width(), mask.height());
        }
        return mask.resizeNearest(wh[0], wh[1]);
    }
}
