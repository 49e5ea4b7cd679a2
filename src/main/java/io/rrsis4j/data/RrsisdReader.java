package io.rrsis4j.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.rrsis4j.InvalidInputException;
import io.rrsis4j.io.files.FileErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.razorvine.pickle.Unpickler;

/**
 * Reads an RRSIS-D folder as released ({@code rrsisd/refs(unc).p}, {@code rrsisd/instances.json},
 * {@code images/rrsisd/JPEGImages/}). Every sentence of every ref of the split is one sample.
 * Listing parses the pickle and the JSON and checks the annotations; images and masks are decoded
 * only when a sample's mask is loaded.
 */
public final class RrsisdReader {

    /** Samples of a split ("train", "val", "test"; a split containing "test" is test); blank sentences refused. */
    public List<ReferringSample> read(Path root, String split) {
        return read(root, split, BlankSentences.Policy.REFUSE);
    }

    /** Samples of a split; a sentence that is empty or white space is refused or left out as {@code blanks} says. */
    public List<ReferringSample> read(Path root, String split, BlankSentences.Policy blanks) {
        Path refsFile = root.resolve("rrsisd").resolve("refs(unc).p");
        Path instancesFile = root.resolve("rrsisd").resolve("instances.json");
        Path imageDir = root.resolve("images").resolve("rrsisd").resolve("JPEGImages");
        List<?> refs = readRefs(refsFile);
        CocoInstances coco = CocoInstances.read(instancesFile);
        BlankSentences blank = new BlankSentences(blanks, refsFile);
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
            JsonNode ann = coco.annotations.get(annId);
            if (ann == null) {
                throw new InvalidInputException(instancesFile, "no annotation with id " + annId + " (ref " + refId + ")");
            }
            long imageId = ann.path("image_id").asLong(ref.get("image_id") instanceof Number n ? n.longValue() : -1);
            CocoInstances.Image image = coco.images.get(imageId);
            if (image == null) {
                throw new InvalidInputException(instancesFile, "no image with id " + imageId + " (annotation " + annId + ")");
            }
            Path imagePath;
            try {
                imagePath = imageDir.resolve(image.fileName());
            } catch (java.nio.file.InvalidPathException e) {
                throw new InvalidInputException(instancesFile, "image " + imageId + " has a file_name that is no file name");
            }
            if (!Files.isRegularFile(imagePath)) {
                throw new InvalidInputException(imagePath, "image of annotation " + annId + " not found");
            }
            CocoInstances.Decoder decoder = coco.segmentation(ann, annId, image, false);
            ReferringSample.MaskSource mask = () -> coco.fitToFile(decoder.decode(), imagePath);
            String category = coco.categories.getOrDefault(ann.path("category_id").asLong(), "");
            if (!(ref.get("sentences") instanceof List<?> sentences)) {
                throw new InvalidInputException(refsFile, "ref " + refId + " has no list of sentences");
            }
            if (sentences.isEmpty()) {
                throw new InvalidInputException(refsFile, "ref " + refId + " has an empty list of sentences");
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
                if (!blank.keep(raw.toString(), "ref " + refId + " (sent_id " + sentId + ")")) {
                    continue;
                }
                samples.add(new ReferringSample("ref" + refId + "_sent" + sentId, String.valueOf(imageId), imagePath,
                        raw.toString(), category, refSplit, mask));
            }
        }
        blank.report();
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

    /** A pickled list (refs(unc).p, grefs(unc).p), checked opcode by opcode before it is unpickled. */
    static List<?> readRefs(Path file) {
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

    private static long number(Path file, Map<?, ?> ref, String key) {
        if (ref.get(key) instanceof Number n) {
            return n.longValue();
        }
        throw new InvalidInputException(file, "a ref has no number '" + key + "'");
    }

    static String typeName(Object o) {
        return o == null ? "None" : o.getClass().getSimpleName();
    }
}
