package io.rrsis4j.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rrsis4j.InvalidInputException;
import io.rrsis4j.io.files.FileErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads gRefCOCO's layout as released and as ReLA's loader ({@code grefer.py}, {@code grefcoco.py}) reads it:
 * {@code grefcoco/grefs(unc).p} (a pickle, preferred when both exist) or {@code grefcoco/grefs(unc).json}, the COCO
 * file {@code grefcoco/instances.json} and the images in {@code images/train2014/}. A ref's {@code ann_id} is a list
 * of annotation ids or one id; {@code [-1]} (with {@code no_target: true}) is a sentence that names nothing in the
 * image. The mask is the union of the listed annotations, crowd annotations left out; every sentence is a sample.
 * Splits are the names the file uses ({@code train}, {@code val}, {@code testA}, {@code testB}), matched exactly.
 */
public final class GRefCocoReader {
    private static final Logger LOG = LoggerFactory.getLogger(GRefCocoReader.class);
    /** The annotation id of "no object" in a no-target ref. */
    static final long NO_TARGET_ID = -1;

    /** The refs file used: the pickle when present, else the JSON (grefer.py's order). */
    public static Path refsFile(Path root) {
        Path pickle = root.resolve("grefcoco").resolve("grefs(unc).p");
        return Files.isRegularFile(pickle) ? pickle : root.resolve("grefcoco").resolve("grefs(unc).json");
    }

    public static Path instancesFile(Path root) {
        return root.resolve("grefcoco").resolve("instances.json");
    }

    public static Path imageDir(Path root) {
        return root.resolve("images").resolve("train2014");
    }

    /** Samples of a split; blank sentences refused. */
    public List<ReferringSample> read(Path root, String split) {
        return read(root, split, BlankSentences.Policy.REFUSE);
    }

    /** Samples of a split; a sentence that is empty or white space is refused or left out as {@code blanks} says. */
    public List<ReferringSample> read(Path root, String split, BlankSentences.Policy blanks) {
        Path refsFile = refsFile(root);
        List<?> refs = readRefs(refsFile);
        CocoInstances coco = CocoInstances.read(instancesFile(root));
        Path imageDir = imageDir(root);
        BlankSentences blank = new BlankSentences(blanks, refsFile);
        List<ReferringSample> samples = new ArrayList<>();
        List<Long> allCrowd = new ArrayList<>();
        for (Object o : refs) {
            if (!(o instanceof Map<?, ?> ref)) {
                throw new InvalidInputException(refsFile, "a ref is not a dict but " + RrsisdReader.typeName(o));
            }
            if (!(ref.get("split") instanceof String refSplit)) {
                throw new InvalidInputException(refsFile, "a ref's 'split' is not a string but "
                        + RrsisdReader.typeName(ref.get("split")));
            }
            if (!refSplit.equals(split)) {
                continue;
            }
            Ref r = check(refsFile, coco, ref);
            if (r == null) {
                allCrowd.add(number(refsFile, ref, "ref_id", "a ref"));
                continue;
            }
            CocoInstances.Image image = coco.images.get(r.imageId);
            Path imagePath;
            try {
                imagePath = imageDir.resolve(image.fileName());
            } catch (InvalidPathException e) {
                throw new InvalidInputException(coco.file, "image " + r.imageId + " has a file_name that is no file name");
            }
            if (!Files.isRegularFile(imagePath)) {
                throw new InvalidInputException(imagePath, "image of ref " + r.refId + " not found");
            }
            ReferringSample.MaskSource mask = maskSource(coco, r, image, imagePath);
            for (Object s : r.sentences) {
                if (!(s instanceof Map<?, ?> sent)) {
                    throw new InvalidInputException(refsFile, "ref " + r.refId + " has a sentence that is not a dict");
                }
                Object raw = sent.get("raw") != null ? sent.get("raw") : sent.get("sent");
                if (!(raw instanceof String text)) {
                    throw new InvalidInputException(refsFile, "ref " + r.refId + " has a sentence without a 'raw' or 'sent' string");
                }
                Object sentId = sent.get("sent_id") instanceof Number || sent.get("sent_id") instanceof String
                        ? sent.get("sent_id") : null;
                if (!blank.keep(text, "ref " + r.refId + " (sent_id " + sentId + ")")) {
                    continue;
                }
                samples.add(new ReferringSample("ref" + r.refId + "_sent" + sentId, String.valueOf(r.imageId), imagePath,
                        text, r.category, refSplit, mask, r.annotations.size()));
            }
        }
        blank.report();
        if (!allCrowd.isEmpty()) {
            LOG.warn("{}: left out {} ref{} whose annotations are all crowd regions (refs {}{})", refsFile,
                    allCrowd.size(), allCrowd.size() == 1 ? "" : "s", allCrowd.subList(0, Math.min(5, allCrowd.size())),
                    allCrowd.size() > 5 ? " ..." : "");
        }
        return samples;
    }

    /** The split names the refs use, in the order met. */
    public Set<String> splits(Path root) {
        Set<String> names = new LinkedHashSet<>();
        for (Object o : readRefs(refsFile(root))) {
            if (o instanceof Map<?, ?> ref && ref.get("split") instanceof String name) {
                names.add(name);
            }
        }
        return names;
    }

    /** A checked ref: its annotations (crowd left out; empty for a no-target ref) and what the samples need. */
    private record Ref(long refId, long imageId, List<JsonNode> annotations, List<Long> annotationIds,
            String category, List<?> sentences) {}

    /** Checks a ref against the instances; null when every annotation it lists is a crowd region. */
    private static Ref check(Path refsFile, CocoInstances coco, Map<?, ?> ref) {
        long refId = number(refsFile, ref, "ref_id", "a ref");
        String name = "ref " + refId;
        long imageId = number(refsFile, ref, "image_id", name);
        if (!coco.images.containsKey(imageId)) {
            throw new InvalidInputException(refsFile, name + " is on image " + imageId + ", which "
                    + coco.file.getFileName() + " does not list");
        }
        List<Long> ids = annotationIds(refsFile, ref, name);
        Object flag = ref.get("no_target");
        if (flag != null && !(flag instanceof Boolean)) {
            throw new InvalidInputException(refsFile, name + " has a 'no_target' that is not true or false");
        }
        boolean listsNone = ids.contains(NO_TARGET_ID);
        if (Boolean.TRUE.equals(flag) && !ids.equals(List.of(NO_TARGET_ID))) {
            throw new InvalidInputException(refsFile, name + " is a no-target ref (no_target: true) but lists annotations "
                    + ids + " (a no-target ref has ann_id [-1])");
        }
        if (listsNone && ids.size() > 1) {
            throw new InvalidInputException(refsFile, name + " lists -1 (no target) together with annotations " + ids);
        }
        if (listsNone && Boolean.FALSE.equals(flag)) {
            throw new InvalidInputException(refsFile, name + " has ann_id [-1] (no target) but no_target: false");
        }
        if (ids.isEmpty()) {
            throw new InvalidInputException(refsFile, name + " lists no annotations (a no-target ref has ann_id [-1]"
                    + " and no_target: true)");
        }
        if (!(ref.get("sentences") instanceof List<?> sentences)) {
            throw new InvalidInputException(refsFile, name + " has no list of sentences");
        }
        if (sentences.isEmpty()) {
            throw new InvalidInputException(refsFile, name + " has an empty list of sentences");
        }
        List<JsonNode> annotations = new ArrayList<>();
        List<Long> kept = new ArrayList<>();
        Set<String> categories = new LinkedHashSet<>();
        if (!listsNone) {
            for (long id : new LinkedHashSet<>(ids)) {
                JsonNode ann = coco.annotations.get(id);
                if (ann == null) {
                    throw new InvalidInputException(refsFile, name + " names annotation " + id + ", which "
                            + coco.file.getFileName() + " does not have");
                }
                long annImage = ann.path("image_id").asLong(-1);
                if (annImage != imageId) {
                    throw new InvalidInputException(refsFile, name + " is on image " + imageId + " but names annotation "
                            + id + " of image " + annImage);
                }
                if (CocoInstances.isCrowd(ann)) {
                    continue;
                }
                annotations.add(ann);
                kept.add(id);
                String category = coco.categories.get(ann.path("category_id").asLong());
                if (category != null && !category.isEmpty()) {
                    categories.add(category);
                }
            }
            if (annotations.isEmpty()) {
                return null;
            }
        } else {
            // a no-target sentence still names a category (the one it looks for); the ref says which
            for (Object c : ref.get("category_id") instanceof List<?> l ? l : java.util.Collections.singletonList(ref.get("category_id"))) {
                if (c instanceof Number n && coco.categories.get(n.longValue()) != null) {
                    categories.add(coco.categories.get(n.longValue()));
                }
            }
        }
        return new Ref(refId, imageId, annotations, kept, String.join(", ", categories), sentences);
    }

    /** {@code ann_id}: a list of ids or a plain id. */
    private static List<Long> annotationIds(Path refsFile, Map<?, ?> ref, String name) {
        Object value = ref.get("ann_id");
        List<Long> ids = new ArrayList<>();
        if (value instanceof Number n) {
            ids.add(n.longValue());
        } else if (value instanceof List<?> list) {
            for (Object v : list) {
                if (!(v instanceof Number n) || n instanceof Double || n instanceof Float) {
                    throw new InvalidInputException(refsFile, name + " has an ann_id that is not a whole number: "
                            + RrsisdReader.typeName(v));
                }
                ids.add(n.longValue());
            }
        } else {
            throw new InvalidInputException(refsFile, name + " has no ann_id (a number or a list of numbers)");
        }
        return ids;
    }

    /** The union of the ref's annotations at the image file's size; an empty mask for a no-target ref. */
    private static ReferringSample.MaskSource maskSource(CocoInstances coco, Ref r, CocoInstances.Image image,
            Path imagePath) {
        if (r.annotations.isEmpty()) {
            return () -> {
                int[] wh = Images.size(imagePath);
                return new BinaryMask(wh[0], wh[1]);
            };
        }
        List<CocoInstances.Decoder> parts = new ArrayList<>();
        for (int i = 0; i < r.annotations.size(); i++) {
            parts.add(coco.segmentation(r.annotations.get(i), r.annotationIds.get(i), image, true));
        }
        return () -> {
            BinaryMask union = null;
            for (CocoInstances.Decoder part : parts) {
                BinaryMask m = coco.fitToFile(part.decode(), imagePath);
                if (union == null) {
                    union = m;
                } else {
                    byte[] u = union.pixels();
                    byte[] p = m.pixels();
                    for (int k = 0; k < u.length; k++) {
                        u[k] |= p[k];
                    }
                }
            }
            return union;
        };
    }

    /** The refs: a pickled list (read as RRSIS-D's, opcodes checked first) or a JSON array. */
    static List<?> readRefs(Path file) {
        if (!file.getFileName().toString().endsWith(".json")) {
            return RrsisdReader.readRefs(file);
        }
        FileErrors.requireFile(file, "gRefCOCO refs file");
        Object refs;
        try {
            refs = new ObjectMapper().readValue(file.toFile(), Object.class);
        } catch (IOException e) {
            throw new InvalidInputException(file, "not valid JSON: " + e.getMessage(), e);
        }
        if (!(refs instanceof List<?> list)) {
            throw new InvalidInputException(file, "expected a JSON list of refs, found " + RrsisdReader.typeName(refs));
        }
        return list;
    }

    private static long number(Path file, Map<?, ?> ref, String key, String name) {
        Object v = ref.get(key);
        if (v instanceof Number n && !(n instanceof Double) && !(n instanceof Float)) {
            return n.longValue();
        }
        throw new InvalidInputException(file, name + " has no whole number '" + key + "'");
    }
}
