package io.rrsis4j.data;

import io.rrsis4j.InvalidInputException;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a RefSegRS folder: {@code output_phrase_<split>.txt} lines "N sentence", image
 * {@code images/N.tif}, mask {@code masks/N.tif} (foreground = value > 50). Masks are read on demand.
 */
public final class RefSegRsReader {
    private static final Logger LOG = LoggerFactory.getLogger(RefSegRsReader.class);
    /** The field's loaders read a mask pixel as foreground above this value (masks are 0 / 255 or 0 / 1 scaled). */
    static final int FOREGROUND_ABOVE = 50;
    private static final String[] EXTENSIONS = {".tif", ".tiff", ".png", ".jpg"};
    private final AtomicBoolean sizeWarned = new AtomicBoolean();

    /** Samples of a split ("train", "val", "test"); blank sentences refused. */
    public List<ReferringSample> read(Path root, String split) {
        return read(root, split, BlankSentences.Policy.REFUSE);
    }

    /**
     * Samples of a split; a line with an index and no sentence (or one of white space only) is refused or left out as
     * {@code blanks} says. How many objects a sample names is counted in its mask when it is loaded (an empty mask
     * names none, see {@link MaskRegions}).
     */
    public List<ReferringSample> read(Path root, String split, BlankSentences.Policy blanks) {
        String name = DatasetSplits.normalize(split);
        Path phrases = root.resolve("output_phrase_" + name + ".txt");
        if (!Files.isRegularFile(phrases)) {
            Set<String> found = splits(root);
            throw new InvalidInputException(phrases, "RefSegRS phrase file not found (splits here: "
                    + (found.isEmpty() ? "none" : String.join(", ", found)) + ")");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(phrases, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidInputException(phrases, "cannot read: " + e.getMessage(), e);
        }
        List<ReferringSample> samples = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        BlankSentences blank = new BlankSentences(blanks, phrases);
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty()) {
                continue;
            }
            int space = line.indexOf(' ');
            if (space < 0) { // "12" alone, or "12" and a no-break space: an index without a sentence
                int end = 0;
                while (end < line.length() && Character.isDigit(line.charAt(end))) {
                    end++;
                }
                space = end > 0 && BlankSentences.isBlank(line.substring(end)) && end < line.length() ? end : -1;
            }
            String index = space < 0 ? line : line.substring(0, space);
            boolean digits = !index.isEmpty() && index.chars().allMatch(Character::isDigit);
            if (!digits) {
                throw new InvalidInputException(phrases, "line " + (n + 1) + " is not 'index sentence': " + line);
            }
            String sentence = space < 0 ? "" : line.substring(space + 1).strip();
            if (!blank.keep(sentence, "line " + (n + 1) + " (index " + index + ")")) {
                continue;
            }
            Path image = find(root.resolve("images"), index);
            Path mask = find(root.resolve("masks"), index);
            String id = "refsegrs_" + name + "_" + index;
            if (!ids.add(id)) {
                id = id + "_line" + (n + 1);
                ids.add(id);
            }
            samples.add(new ReferringSample(id, index, image, sentence, "", name, () -> readMask(mask, image),
                    ReferringSample.TARGETS_FROM_MASK));
        }
        blank.report();
        return samples;
    }

    /** The splits that have a phrase file {@code output_phrase_<split>.txt}, sorted. */
    public static Set<String> splits(Path root) {
        Set<String> names = new java.util.TreeSet<>();
        try (java.util.stream.Stream<Path> files = Files.list(root)) {
            files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("output_phrase_") && n.endsWith(".txt"))
                    .forEach(n -> names.add(n.substring("output_phrase_".length(), n.length() - ".txt".length())));
        } catch (IOException e) {
            return names; // no folder, no splits: the caller's message already names the file it wanted
        }
        return names;
    }

    private static Path find(Path dir, String index) {
        for (String ext : EXTENSIONS) {
            Path p = dir.resolve(index + ext);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new InvalidInputException(dir.resolve(index + ".tif"), "file of sample " + index + " not found");
    }

    private BinaryMask readMask(Path maskFile, Path imageFile) {
        BufferedImage img;
        try (InputStream in = Files.newInputStream(maskFile)) {
            img = ImageIO.read(in);
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException(maskFile, "cannot decode mask image: " + e.getMessage(), e);
        }
        if (img == null) {
            throw new InvalidInputException(maskFile, "not a readable mask image");
        }
        Raster r = img.getRaster();
        int w = img.getWidth();
        int h = img.getHeight();
        int[] band = r.getSamples(0, 0, w, h, 0, (int[]) null);
        byte[] px = new byte[w * h];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (band[i] > FOREGROUND_ABOVE ? 1 : 0);
        }
        BinaryMask mask = new BinaryMask(w, h, px);
        int[] wh = Images.size(imageFile);
        if (wh[0] != w || wh[1] != h) {
            if (sizeWarned.compareAndSet(false, true)) {
                LOG.info("{} is {} x {} but {} is {} x {}: mask resized (nearest) to the image (said once)",
                        maskFile, w, h, imageFile, wh[0], wh[1]);
            }
            mask = mask.resizeNearest(wh[0], wh[1]);
        }
        return mask;
    }
}
