package io.rrsis4j.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rrsis4j.data.ReferringSample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The gallery's draw: kinds of sentence take turns in generalized data; classic data is drawn as before. */
class GalleryTest {

    private static ReferringSample sample(int image, int sentence, int targets) {
        return new ReferringSample("s" + image + "-" + sentence, "img" + image, Path.of("img" + image + ".png"),
                "sentence " + sentence, "", "test", () -> null, targets);
    }

    @Test
    void kindsTakeTurnsWhateverTheirShare() {
        List<ReferringSample> samples = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            // 50 single-object sentences, 6 naming several objects, 4 naming none: each on its own image
            samples.add(sample(i, 0, i < 50 ? 1 : i < 56 ? 3 : 0));
        }
        List<ReferringSample> picked = Gallery.pick(samples, 12, 7);
        assertEquals(12, picked.size());
        assertEquals(4, picked.stream().filter(s -> s.targets() == 0).count(), "every no-target sentence there is");
        assertEquals(4, picked.stream().filter(s -> s.targets() == 3).count());
        assertEquals(12, picked.stream().map(ReferringSample::imageId).distinct().count(), "one scene per image");
    }

    @Test
    void classicDataIsTheSeededShuffleAsBefore() {
        List<ReferringSample> samples = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            samples.add(sample(i / 2, i % 2, 1));
        }
        List<ReferringSample> shuffled = new ArrayList<>(samples);
        Collections.shuffle(shuffled, new Random(7));
        Set<String> images = new HashSet<>();
        List<ReferringSample> expected = shuffled.stream().filter(s -> images.add(s.imageId())).limit(12).toList();
        assertEquals(expected, Gallery.pick(samples, 12, 7));
    }
}
