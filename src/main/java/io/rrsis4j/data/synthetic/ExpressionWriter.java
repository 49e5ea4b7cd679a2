package io.rrsis4j.data.synthetic;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Writes referring expressions for one object of a synthetic scene. Every sentence is checked
 * against all objects of the scene: it is kept only when the target is the one object it fits, so
 * the sentence is always needed (category, colour, size, place or relation) and always sufficient.
 */
public final class ExpressionWriter {
    /** Words that name each category; the first is the benchmark's name. */
    static final Map<String, List<String>> NOUNS = Map.of(
            "storage tank", List.of("storage tank", "oil tank"),
            "vehicle", List.of("vehicle", "car"),
            "building", List.of("building", "house"),
            "tennis court", List.of("tennis court"),
            "ship", List.of("ship", "boat"),
            "airplane", List.of("airplane", "plane"),
            "tree", List.of("tree"),
            "road", List.of("road"));

    /** The single words that name CATEGORY ("storage tank", "oil tank" -> storage, tank, oil); empty if unknown. */
    public static java.util.Set<String> namingWords(String category) {
        java.util.Set<String> words = new java.util.TreeSet<>();
        for (String noun : NOUNS.getOrDefault(category, List.of())) {
            words.addAll(List.of(noun.split(" ")));
        }
        return words;
    }

    static final String[][] REGIONS = {
        {"in the upper left", "at the top", "in the upper right"},
        {"on the left", "in the middle", "on the right"},
        {"in the lower left", "at the bottom", "in the lower right"}
    };
    private static final String[] EXTRA_WORDS = {
        "the", "largest", "biggest", "smallest", "left", "right", "of", "above", "below", "on", "road", "parked",
        "horizontal", "vertical"
    };
    /** Words people use in hand-written aerial referring expressions, kept so that such sentences tokenise too. */
    private static final String COMMON_WORDS = "above airplane an and at baseball basketball below beside between big"
            + " biggest black blue boat bottom bridge bright brown building buildings by car cars center centre closest"
            + " corner court dark farthest field fields first football gray green grey house in is lake large largest left"
            + " light long lower middle most near nearest next of on one orange plane pond red right river road roads roof"
            + " round second ship short side small smallest soccer sports square storage tank tanks tennis that the third"
            + " three to top tree trees truck two upper vehicle vehicles water which white with yellow";
    /** A size superlative needs this margin over the runner-up, or it would be a guess for the reader too. */
    private static final double SIZE_MARGIN = 1.3;
    /** A relation needs the centres this far apart along its axis, as a share of the image side. */
    private static final double RELATION_GAP = 0.08;

    private final int imageSize;

    public ExpressionWriter(int imageSize) {
        this.imageSize = imageSize;
    }

    /** Every word a sentence of this writer can contain (lower-case). */
    public static Set<String> vocabulary() {
        Set<String> words = new TreeSet<>(List.of(EXTRA_WORDS));
        NOUNS.values().forEach(list -> list.forEach(n -> words.addAll(List.of(n.split(" ")))));
        for (String[] row : REGIONS) {
            for (String r : row) {
                words.addAll(List.of(r.split(" ")));
            }
        }
        words.addAll(SyntheticSceneGenerator.COLOUR_WORDS);
        return words;
    }

    /**
     * The bundled vocab.txt: [PAD] (id 0), [UNK], [CLS], [SEP], [MASK], every word of {@link #vocabulary()},
     * then a-z, 0-9 and their ## continuations so that any other lower-case word still splits into pieces.
     */
    public static List<String> vocabularyFile() {
        List<String> lines = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
        Set<String> words = new TreeSet<>(vocabulary());
        words.addAll(List.of(COMMON_WORDS.split(" ")));
        lines.addAll(words);
        String chars = "abcdefghijklmnopqrstuvwxyz0123456789";
        for (char c : chars.toCharArray()) {
            if (!lines.contains(String.valueOf(c))) {
                lines.add(String.valueOf(c));
            }
        }
        for (char c : chars.toCharArray()) {
            lines.add("##" + c);
        }
        for (String p : List.of(".", ",", "'", "-")) {
            lines.add(p);
        }
        return lines;
    }

    /**
     * Up to {@code max} different sentences that each single out {@code objects.get(target)}; empty
     * when no sentence this writer knows is unique.
     */
    public List<String> describe(List<SceneObject> objects, int target, SplittableRandom rng, int max) {
        SceneObject t = objects.get(target);
        List<String> nouns = NOUNS.get(t.category());
        String noun = nouns.get(rng.nextInt(nouns.size()));
        Predicate<SceneObject> sameCategory = o -> o.category().equals(t.category());
        Predicate<SceneObject> sameColour = sameCategory.and(o -> o.colour().equals(t.colour()));
        String region = region(t);
        Predicate<SceneObject> sameRegion = o -> region(o).equals(region);
        List<String> found = new ArrayList<>();

        if (unique(objects, t, sameCategory)) {
            found.add("the " + noun);
            if (!t.orientation().isEmpty()) {
                found.add("the " + t.orientation() + " " + noun);
            }
        }
        if (unique(objects, t, sameColour)) {
            found.add("the " + t.colour() + " " + noun);
        }
        if (unique(objects, t, sameCategory.and(sameRegion))) {
            found.add("the " + noun + " " + region);
        } else if (unique(objects, t, sameColour.and(sameRegion))) {
            found.add("the " + t.colour() + " " + noun + " " + region);
        }
        superlative(objects, t, sameCategory).ifPresent(s -> found.add("the " + s + " " + noun));
        Predicate<SceneObject> onRoad = o -> o.onRoad() == t.onRoad();
        if (t.onRoad() && unique(objects, t, sameCategory.and(onRoad))) {
            found.add("the " + noun + " on the road");
            found.add("the " + noun + " parked on the road");
        } else if (t.onRoad() && unique(objects, t, sameCategory.and(onRoad).and(sameRegion))) {
            found.add("the " + noun + " on the road " + region);
        }
        for (SceneObject ref : objects) {
            if (ref == t || ref.category().equals(t.category())) {
                continue;
            }
            String refText = shortName(objects, ref);
            String relation = relation(t, ref);
            if (refText == null || relation == null) {
                continue;
            }
            Predicate<SceneObject> sameRelation = o -> relation.equals(relation(o, ref));
            if (unique(objects, t, sameCategory.and(sameRelation))) {
                found.add("the " + noun + " " + relation + " " + refText);
            } else if (unique(objects, t, sameColour.and(sameRelation))) {
                found.add("the " + t.colour() + " " + noun + " " + relation + " " + refText);
            }
        }
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(found));
        for (int i = distinct.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            String tmp = distinct.get(i);
            distinct.set(i, distinct.get(j));
            distinct.set(j, tmp);
        }
        return List.copyOf(distinct.subList(0, Math.min(max, distinct.size())));
    }

    /** "the red car" or "the building": the shortest unique name of a reference object, or null. */
    String shortName(List<SceneObject> objects, SceneObject o) {
        String noun = NOUNS.get(o.category()).get(0);
        if (unique(objects, o, x -> x.category().equals(o.category()))) {
            return "the " + noun;
        }
        if (unique(objects, o, x -> x.category().equals(o.category()) && x.colour().equals(o.colour()))) {
            return "the " + o.colour() + " " + noun;
        }
        return null;
    }

    private static boolean unique(List<SceneObject> objects, SceneObject target, Predicate<SceneObject> fits) {
        for (SceneObject o : objects) {
            if (o != target && fits.test(o)) {
                return false;
            }
        }
        return fits.test(target);
    }

    private static java.util.Optional<String> superlative(
            List<SceneObject> objects, SceneObject t, Predicate<SceneObject> sameCategory) {
        int larger = 0;
        int smaller = 0;
        int others = 0;
        for (SceneObject o : objects) {
            if (o == t || !sameCategory.test(o)) {
                continue;
            }
            others++;
            if (t.area() >= SIZE_MARGIN * o.area()) {
                larger++;
            }
            if (o.area() >= SIZE_MARGIN * t.area()) {
                smaller++;
            }
        }
        if (others == 0) {
            return java.util.Optional.empty();
        }
        if (larger == others) {
            return java.util.Optional.of(others % 2 == 0 ? "largest" : "biggest");
        }
        if (smaller == others) {
            return java.util.Optional.of("smallest");
        }
        return java.util.Optional.empty();
    }

    /** Where the object's centre lies on a 3 x 3 grid, in words. */
    String region(SceneObject o) {
        int col = Math.min(2, (int) (3 * o.centreX() / imageSize));
        int row = Math.min(2, (int) (3 * o.centreY() / imageSize));
        return REGIONS[row][col];
    }

    /** "left of", "right of", "above", "below": the dominant axis between the two centres, or null when too close. */
    String relation(SceneObject a, SceneObject ref) {
        double dx = a.centreX() - ref.centreX();
        double dy = a.centreY() - ref.centreY();
        double gap = RELATION_GAP * imageSize;
        // A road crosses the whole image: only the axis across it has a meaning.
        boolean horizontal = !"vertical".equals(ref.orientation())
                && ("horizontal".equals(ref.orientation()) || Math.abs(dy) > Math.abs(dx));
        if (!horizontal && Math.abs(dx) > gap) {
            return dx < 0 ? "left of" : "right of";
        }
        if (horizontal && Math.abs(dy) > gap) {
            return dy < 0 ? "above" : "below";
        }
        return null;
    }
}
