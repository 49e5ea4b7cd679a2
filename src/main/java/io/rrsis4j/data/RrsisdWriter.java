package io.rrsis4j.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.rrsis4j.data.synthetic.SyntheticScene;
import io.rrsis4j.io.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.razorvine.pickle.Pickler;

/**
 * Writes scenes in the RRSIS-D layout as released: {@code rrsisd/refs(unc).p} (a Python pickle of
 * ref dicts), {@code rrsisd/instances.json} (COCO) and {@code images/rrsisd/JPEGImages/*.jpg}.
 * Segmentations rotate between polygons, compressed-string RLE and list RLE, so that every reading
 * path of a COCO file is exercised by the synthetic data.
 */
public final class RrsisdWriter {
    /** DIOR's 20 classes (RRSIS-D category ids 1..20), then the synthetic extras. */
    public static final List<String> CATEGORY_NAMES = List.of(
            "airplane", "airport", "golf field", "expressway service area", "baseball field", "stadium",
            "ground track field", "storage tank", "basketball court", "chimney", "tennis court", "overpass",
            "train station", "ship", "expressway toll station", "dam", "harbor", "bridge", "vehicle", "windmill",
            "building", "tree", "road");

    private final Path root;
    private final List<Map<String, Object>> images = new ArrayList<>();
    private final List<Map<String, Object>> annotations = new ArrayList<>();
    private final List<Map<String, Object>> refs = new ArrayList<>();
    private final Map<String, Integer> samples = new LinkedHashMap<>();
    private int annId;
    private int sentId;

    /** A writer that streams scenes into {@code root}: {@link #add} writes each image at once, {@link #finish} the annotations. */
    public RrsisdWriter(Path root) {
        this.root = root;
    }

    /**
     * Writes the scene's image now and keeps only its small records (file name, masks as RLE or polygons,
     * sentences) for the annotation files, so that a set of any size is written in the memory of one scene.
     */
    public void add(SyntheticScene scene, String split) throws IOException {
        int imageId = images.size() + 1;
        String fileName = String.format(Locale.ROOT, "%05d.jpg", imageId);
        Images.write(scene.image(), "jpg", root.resolve("images/rrsisd/JPEGImages").resolve(fileName));
        int w = scene.image().getWidth();
        int h = scene.image().getHeight();
        images.add(map("id", imageId, "file_name", fileName, "height", h, "width", w));
        for (SyntheticScene.Target t : scene.targets()) {
            annId++;
            int categoryId = CATEGORY_NAMES.indexOf(t.category()) + 1;
            annotations.add(map("id", annId, "image_id", imageId, "category_id", categoryId, "iscrowd", 0,
                    "area", t.mask().count(), "bbox", bbox(t.mask()), "segmentation", segmentation(t.mask(), annId)));
            List<Object> sentences = new ArrayList<>();
            List<Object> sentIds = new ArrayList<>();
            for (String raw : t.sentences()) {
                sentId++;
                String sent = raw.toLowerCase(Locale.ROOT);
                sentences.add(map("raw", raw, "sent", sent, "tokens", List.of(sent.split(" ")), "sent_id", sentId));
                sentIds.add(sentId);
            }
            refs.add(map("ref_id", refs.size() + 1, "ann_id", annId, "image_id", imageId, "category_id", categoryId,
                    "split", split, "sent_ids", sentIds, "sentences", sentences, "file_name", fileName));
            samples.merge(split, t.sentences().size(), Integer::sum);
        }
    }

    /**
     * Writes {@code rrsisd/instances.json} and {@code rrsisd/refs(unc).p} for the scenes added.
     *
     * @return the number of (image, sentence) samples per split
     */
    public Map<String, Integer> finish() throws IOException {
        List<Map<String, Object>> categories = new ArrayList<>();
        for (int c = 0; c < CATEGORY_NAMES.size(); c++) {
            categories.add(map("id", c + 1, "name", CATEGORY_NAMES.get(c), "supercategory", CATEGORY_NAMES.get(c)));
        }
        ObjectMapper json = new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);
        byte[] coco = json.writeValueAsBytes(map("images", images, "annotations", annotations, "categories", categories));
        AtomicFiles.write(root.resolve("rrsisd/instances.json"), coco);
        byte[] pickle = new Pickler().dumps(refs);
        AtomicFiles.write(root.resolve("rrsisd/refs(unc).p"), pickle);
        return samples;
    }

    /** Polygons where they give the mask back exactly, else RLE; string and list counts alternate. */
    static Object segmentation(BinaryMask mask, int annId) {
        if (annId % 3 == 0) {
            List<double[]> polygons = CocoMasks.outline(mask);
            if (CocoMasks.rasterize(polygons, mask.height(), mask.width()).equals(mask)) {
                List<List<Double>> out = new ArrayList<>();
                for (double[] p : polygons) {
                    List<Double> flat = new ArrayList<>();
                    for (double v : p) {
                        flat.add(v);
                    }
                    out.add(flat);
                }
                return out;
            }
        }
        long[] counts = CocoMasks.encode(mask);
        List<Integer> size = List.of(mask.height(), mask.width());
        if (annId % 3 == 2) {
            List<Long> list = new ArrayList<>();
            for (long c : counts) {
                list.add(c);
            }
            return map("size", size, "counts", list);
        }
        return map("size", size, "counts", CocoMasks.toCompressedString(counts));
    }

    static List<Integer> bbox(BinaryMask m) {
        int x0 = m.width();
        int y0 = m.height();
        int x1 = -1;
        int y1 = -1;
        for (int y = 0; y < m.height(); y++) {
            for (int x = 0; x < m.width(); x++) {
                if (m.get(x, y)) {
                    x0 = Math.min(x0, x);
                    y0 = Math.min(y0, y);
                    x1 = Math.max(x1, x);
                    y1 = Math.max(y1, y);
                }
            }
        }
        return x1 < 0 ? List.of(0, 0, 0, 0) : List.of(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
