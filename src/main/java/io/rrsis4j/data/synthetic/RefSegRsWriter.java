package io.rrsis4j.data.synthetic;

import io.rrsis4j.data.Images;
import io.rrsis4j.data.MaskImages;
import io.rrsis4j.io.files.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes scenes in the RefSegRS layout: one sample per (target, sentence), named by its index N:
 * {@code images/N.tif} (8-bit RGB), {@code masks/N.tif} (0 / 255) and lines "N sentence" in
 * {@code output_phrase_<split>.txt}.
 */
public final class RefSegRsWriter {
    public static final List<String> SPLITS = List.of("train", "val", "test");

    private final Path root;
    private final Map<String, StringBuilder> lines = new LinkedHashMap<>();
    private final Map<String, Integer> samples = new LinkedHashMap<>();
    private int index;

    /** A writer that streams scenes into {@code root}: {@link #add} writes each sample's files at once. */
    public RefSegRsWriter(Path root) {
        this.root = root;
        for (String s : SPLITS) {
            lines.put(s, new StringBuilder());
        }
    }

    /** Writes one image and mask per (target, sentence) of the scene now; keeps only the phrase lines. */
    public void add(SyntheticScene scene, String split) throws IOException {
        for (SyntheticScene.Target t : scene.targets()) {
            for (String sentence : t.sentences()) {
                Images.write(scene.image(), "tiff", root.resolve("images/" + index + ".tif"));
                Images.write(MaskImages.toImage(t.mask()), "tiff", root.resolve("masks/" + index + ".tif"));
                lines.computeIfAbsent(split, k -> new StringBuilder()).append(index).append(' ').append(sentence).append('\n');
                samples.merge(split, 1, Integer::sum);
                index++;
            }
        }
    }

    /**
     * Writes the phrase files {@code output_phrase_<split>.txt}.
     *
     * @return the number of samples per split
     */
    public Map<String, Integer> finish() throws IOException {
        for (Map.Entry<String, StringBuilder> e : lines.entrySet()) {
            AtomicFiles.write(root.resolve("output_phrase_" + e.getKey() + ".txt"),
                    e.getValue().toString().getBytes(StandardCharsets.UTF_8));
        }
        return samples;
    }
}
