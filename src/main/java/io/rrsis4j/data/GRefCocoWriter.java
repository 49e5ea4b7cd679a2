package io.rrsis4j.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rrsis4j.data.synthetic.SceneObject;
import io.rrsis4j.data.synthetic.SyntheticScene;
import io.rrsis4j.io.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes scenes in gRefCOCO's layout as ReLA's loader reads it: {@code grefcoco/grefs(unc).json} (the refs),
 * {@code grefcoco/instances.json} (COCO: every visible object of every scene, one annotation each, as polygons,
 * compressed or list RLE in turn) and {@code images/train2014/COCO_train2014_N.jpg}. A ref lists the annotations its
 * sentences name ({@code ann_id}: a list, and for every fourth single-object ref a plain id, as both occur in the
 * release); a no-target ref has {@code ann_id [-1]} and {@code no_target: true}.
 */
public final class GRefCocoWriter {
    private final Path root;
    private final List<Map<String, Object>> images = new ArrayList<>();
    private final List<Map<String, Object>> annotations = new ArrayList<>();
    private final List<Map<String, Object>> refs = new ArrayList<>();
    private final Map<String, Integer> samples = new LinkedHashMap<>();
    private int annId;
    private int sentId;

    public GRefCocoWriter(Path root) {
        this.root = root;
    }

    /** Writes the scene's image now and keeps its annotations and refs for {@link #finish}. */
    public void add(SyntheticScene scene, String split) throws IOException {
        int imageId = images.size() + 1;
        String fileName = String.format(Locale.ROOT, "COCO_train2014_%012d.jpg", imageId);
        Images.write(scene.image(), "jpg", GRefCocoReader.imageDir(root).resolve(fileName));
        int w = scene.image().getWidth();
        int h = scene.image().getHeight();
        images.add(RrsisdWriter.map("id", imageId, "file_name", fileName, "height", h, "width", w));
        List<Integer> objectIds = new ArrayList<>();
        for (SceneObject o : scene.objects()) {
            if (o.area() == 0) {
                objectIds.add(-1); // hidden behind others: nothing to annotate
                continue;
            }
            annId++;
            objectIds.add(annId);
            annotations.add(RrsisdWriter.map("id", annId, "image_id", imageId, "category_id", categoryId(o.category()),
                    "iscrowd", 0, "area", o.area(), "bbox", RrsisdWriter.bbox(o.mask()),
                    "segmentation", RrsisdWriter.segmentation(o.mask(), annId)));
        }
        for (SyntheticScene.Target t : scene.targets()) {
            List<Integer> listed = new ArrayList<>();
            Set<Integer> categories = new LinkedHashSet<>();
            for (int i = 0; i < scene.objects().size(); i++) {
                SceneObject o = scene.objects().get(i);
                if (objectIds.get(i) > 0 && within(o.mask(), t.mask())) {
                    listed.add(objectIds.get(i));
                    categories.add(categoryId(o.category()));
                }
            }
            if (listed.size() != t.objects()) {
                throw new IllegalStateException("target of " + t.objects() + " objects covers " + listed.size()
                        + " annotated objects: " + t.sentences());
            }
            List<Object> sentences = new ArrayList<>();
            List<Object> sentIds = new ArrayList<>();
            for (String raw : t.sentences()) {
                sentId++;
                String sent = raw.toLowerCase(Locale.ROOT);
                sentences.add(RrsisdWriter.map("tokens", List.of(sent.split(" ")), "raw", raw, "sent_id", sentId,
                        "sent", sent));
                sentIds.add(sentId);
            }
            int refId = refs.size() + 1;
            boolean none = t.objects() == 0;
            Object annIds = none ? List.of(-1) : listed.size() == 1 && refId % 4 == 0 ? listed.get(0) : listed;
            Object categoryIds = none ? categoryId(t.category())
                    : categories.size() == 1 && listed.size() == 1 ? categories.iterator().next() : List.copyOf(categories);
            refs.add(RrsisdWriter.map("ref_id", refId, "image_id", imageId, "split", split, "sentences", sentences,
                    "sent_ids", sentIds, "file_name", fileName, "category_id", categoryIds, "ann_id", annIds,
                    "no_target", none));
            samples.merge(split, t.sentences().size(), Integer::sum);
        }
    }

    /**
     * Writes {@code grefcoco/instances.json} and {@code grefcoco/grefs(unc).json}.
     *
     * @return the number of (image, sentence) samples per split
     */
    public Map<String, Integer> finish() throws IOException {
        List<Map<String, Object>> categories = new ArrayList<>();
        for (int c = 0; c < RrsisdWriter.CATEGORY_NAMES.size(); c++) {
            String name = RrsisdWriter.CATEGORY_NAMES.get(c);
            categories.add(RrsisdWriter.map("id", c + 1, "name", name, "supercategory", name));
        }
        ObjectMapper json = new ObjectMapper();
        AtomicFiles.write(GRefCocoReader.instancesFile(root), json.writeValueAsBytes(
                RrsisdWriter.map("images", images, "annotations", annotations, "categories", categories)));
        AtomicFiles.write(root.resolve("grefcoco").resolve("grefs(unc).json"), json.writeValueAsBytes(refs));
        return samples;
    }

    private static int categoryId(String category) {
        return RrsisdWriter.CATEGORY_NAMES.indexOf(category) + 1;
    }

    /** Whether every pixel of {@code part} is in {@code whole} (objects own disjoint pixels, so this finds a target's). */
    private static boolean within(BinaryMask part, BinaryMask whole) {
        byte[] p = part.pixels();
        byte[] w = whole.pixels();
        for (int i = 0; i < p.length; i++) {
            if (p[i] != 0 && w[i] == 0) {
                return false;
            }
        }
        return true;
    }
}
