package io.rrsis4j.data.synthetic;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Writes the sentences of generalized referring segmentation for a synthetic scene: multi-target sentences that name
 * every object fitting a description ("all the red cars", "both storage tanks", "the two planes in the left half")
 * and no-target sentences that name nothing in the scene. No-target sentences are hard: mostly a description of an
 * object that is there with one attribute changed (its colour, its place on the 3 x 3 grid, its relation to another
 * object, standing on the road), written with the same templates as the sentences that do name something, and only
 * sometimes a category that is absent. Every sentence is checked against all objects, like {@link ExpressionWriter}'s.
 */
public final class GeneralizedExpressionWriter {
    /** Plural of every noun {@link ExpressionWriter#NOUNS} uses. */
    static final Map<String, String> PLURALS = Map.ofEntries(
            Map.entry("storage tank", "storage tanks"), Map.entry("oil tank", "oil tanks"),
            Map.entry("vehicle", "vehicles"), Map.entry("car", "cars"), Map.entry("building", "buildings"),
            Map.entry("house", "houses"), Map.entry("tennis court", "tennis courts"), Map.entry("ship", "ships"),
            Map.entry("boat", "boats"), Map.entry("airplane", "airplanes"), Map.entry("plane", "planes"),
            Map.entry("tree", "trees"), Map.entry("road", "roads"));
    /** Halves of the image for plural places ("in the left half"): the 3 x 3 grid's words stay for one object. */
    static final List<String> HALVES = List.of("left", "right", "top", "bottom");
    /** An object this close to a border (share of the side) is not clearly on either side of it. */
    static final double BORDER_MARGIN = 0.06;
    /** Share of no-target sentences that name a category absent from the scene rather than change an attribute. */
    static final double ABSENT_CATEGORY_SHARE = 0.2;

    /** The attribute a no-target sentence changes. */
    public enum Change {
        COLOUR,
        POSITION,
        RELATION,
        ROAD,
        ABSENT_CATEGORY
    }

    /**
     * A sentence's meaning: the objects it names are those of {@code category} that fit every field set.
     *
     * @param quantifier "the" for one object; "all the", "both", "the two", "the three" (or "the") for several
     * @param colour null when not said
     * @param region a 3 x 3 grid phrase of {@link ExpressionWriter} ("in the upper left"), or null
     * @param half "left", "right", "top", "bottom" (plural sentences), or null
     * @param onRoad whether the sentence says "on the road"
     * @param relation "left of", "right of", "above", "below", or null
     * @param ref the object the relation is to (null without a relation)
     * @param refText how the sentence names {@code ref} ("the building")
     */
    public record Description(String category, String noun, boolean plural, String quantifier, String colour,
            String region, String half, boolean onRoad, String relation, SceneObject ref, String refText) {

        /** The description with a single object's words. */
        static Description single(String category, String noun) {
            return new Description(category, noun, false, "the", null, null, null, false, null, null, null);
        }

        Description withColour(String c) {
            return new Description(category, noun, plural, quantifier, c, region, half, onRoad, relation, ref, refText);
        }

        Description withRegion(String r) {
            return new Description(category, noun, plural, quantifier, colour, r, half, onRoad, relation, ref, refText);
        }

        Description withHalf(String h) {
            return new Description(category, noun, plural, quantifier, colour, region, h, onRoad, relation, ref, refText);
        }

        Description withRoad() {
            return new Description(category, noun, plural, quantifier, colour, region, half, true, relation, ref, refText);
        }

        Description withRelation(String rel, SceneObject to, String toText) {
            return new Description(category, noun, plural, quantifier, colour, region, half, onRoad, rel, to, toText);
        }

        Description asPlural(String q) {
            return new Description(category, noun, true, q, colour, region, half, onRoad, relation, ref, refText);
        }

        Description withCategory(String c, String n) {
            return new Description(c, n, plural, quantifier, colour, region, half, onRoad, relation, ref, refText);
        }

        /** The sentence. */
        public String text() {
            StringBuilder s = new StringBuilder(quantifier).append(' ');
            if (colour != null) {
                s.append(colour).append(' ');
            }
            s.append(plural ? PLURALS.get(noun) : noun);
            if (region != null) {
                s.append(' ').append(region);
            }
            if (half != null) {
                s.append(" in the ").append(half).append(" half");
            }
            if (onRoad) {
                s.append(" on the road");
            }
            if (relation != null) {
                s.append(' ').append(relation).append(' ').append(refText);
            }
            return s.toString();
        }

        /** The objects of the scene this description names. */
        public List<SceneObject> matching(List<SceneObject> objects, ExpressionWriter words, int imageSize) {
            List<SceneObject> out = new ArrayList<>();
            for (SceneObject o : objects) {
                if (o.category().equals(category)
                        && (colour == null || colour.equals(o.colour()))
                        && (region == null || region.equals(words.region(o)))
                        && (half == null || in(o, half, imageSize))
                        && (!onRoad || o.onRoad())
                        && (relation == null || relation.equals(words.relation(o, ref)))) {
                    out.add(o);
                }
            }
            return out;
        }

        /** What the description says about the objects (not how: noun, number): a no-target change alters one. */
        List<Object> attributes() {
            List<Object> a = new ArrayList<>();
            a.add(category);
            a.add(colour);
            a.add(region);
            a.add(half);
            a.add(onRoad);
            a.add(relation);
            a.add(ref);
            return a;
        }
    }

    /** A multi-target sentence: every object its description names. */
    public record MultiTarget(Description description, List<SceneObject> objects) {
        public String sentence() {
            return description.text();
        }
    }

    /**
     * A no-target sentence and where it comes from: {@code original} names {@code nearMiss}, an object of the scene,
     * and {@code description} is it with one attribute ({@code change}) set to a value no object has. For an absent
     * category both are null but the description.
     */
    public record NoTarget(Description description, Change change, Description original, SceneObject nearMiss) {
        public String sentence() {
            return description.text();
        }
    }

    private final int imageSize;
    private final ExpressionWriter words;

    public GeneralizedExpressionWriter(int imageSize) {
        this.imageSize = imageSize;
        this.words = new ExpressionWriter(imageSize);
    }

    /** Whether the object's centre lies in the named half, clear of the dividing line by {@link #BORDER_MARGIN}. */
    boolean clearlyIn(SceneObject o, String half) {
        double margin = BORDER_MARGIN * imageSize;
        double mid = imageSize / 2.0;
        return switch (half) {
            case "left" -> o.centreX() < mid - margin;
            case "right" -> o.centreX() > mid + margin;
            case "top" -> o.centreY() < mid - margin;
            default -> o.centreY() > mid + margin;
        };
    }

    /** Whether the object's centre lies in the named half of the image. */
    static boolean in(SceneObject o, String half, int imageSize) {
        double mid = imageSize / 2.0;
        return switch (half) {
            case "left" -> o.centreX() < mid;
            case "right" -> o.centreX() >= mid;
            case "top" -> o.centreY() < mid;
            default -> o.centreY() >= mid;
        };
    }

    /**
     * The multi-target sentences the scene allows, grouped by the objects they name (each group at least two objects,
     * every object fitting the description in it): by category, category and colour, category and half, and vehicles
     * parked on the road. Sentences per group in a random order.
     */
    public List<MultiTarget> multiTargets(List<SceneObject> objects, SplittableRandom rng) {
        Map<List<SceneObject>, List<Description>> groups = new LinkedHashMap<>();
        for (String category : SyntheticSceneGenerator.CATEGORIES) {
            List<SceneObject> all = objects.stream().filter(o -> o.category().equals(category)).toList();
            if (all.size() < 2) {
                continue;
            }
            List<String> nouns = ExpressionWriter.NOUNS.get(category);
            String noun = nouns.get(rng.nextInt(nouns.size()));
            Description base = Description.single(category, noun);
            add(groups, all, base);
            for (String colour : all.stream().map(SceneObject::colour).distinct().sorted().toList()) {
                add(groups, base.withColour(colour).matching(objects, words, imageSize), base.withColour(colour));
            }
            for (String half : HALVES) {
                // every object of the category clearly on one side of the line, or the sentence would be a guess
                boolean clear = all.stream().allMatch(o -> clearlyIn(o, half) || clearlyIn(o, opposite(half)));
                List<SceneObject> inHalf = all.stream().filter(o -> clearlyIn(o, half)).toList();
                if (clear && inHalf.size() < all.size()) {
                    add(groups, inHalf, base.withHalf(half));
                }
            }
            List<SceneObject> parked = all.stream().filter(SceneObject::onRoad).toList();
            if (parked.size() < all.size()) {
                add(groups, parked, base.withRoad());
            }
        }
        List<MultiTarget> out = new ArrayList<>();
        groups.forEach((group, descriptions) -> {
            for (Description d : descriptions) {
                out.add(new MultiTarget(d.asPlural(quantifier(group.size(), rng)), group));
            }
        });
        return out;
    }

    private static void add(Map<List<SceneObject>, List<Description>> groups, List<SceneObject> group, Description d) {
        if (group.size() >= 2) {
            groups.computeIfAbsent(List.copyOf(group), k -> new ArrayList<>()).add(d);
        }
    }

    private static String opposite(String half) {
        return switch (half) {
            case "left" -> "right";
            case "right" -> "left";
            case "top" -> "bottom";
            default -> "top";
        };
    }

    private static String quantifier(int n, SplittableRandom rng) {
        List<String> q = new ArrayList<>(List.of("all the", "the"));
        if (n == 2) {
            q.addAll(List.of("both", "the two"));
        } else if (n == 3) {
            q.add("the three");
        }
        return q.get(rng.nextInt(q.size()));
    }

    /** One no-target sentence for the scene, or empty when none of the changes fits it. */
    public Optional<NoTarget> noTarget(List<SceneObject> objects, SplittableRandom rng) {
        if (rng.nextDouble() < ABSENT_CATEGORY_SHARE) {
            Optional<NoTarget> absent = absentCategory(objects, rng);
            if (absent.isPresent()) {
                return absent;
            }
        }
        List<Change> changes = new ArrayList<>(List.of(Change.COLOUR, Change.POSITION, Change.RELATION, Change.ROAD));
        List<SceneObject> order = new ArrayList<>(objects);
        shuffle(order, rng);
        shuffle(changes, rng);
        for (Change change : changes) {
            for (SceneObject o : order) {
                Optional<NoTarget> made = change(objects, o, change, rng);
                if (made.isPresent()) {
                    return made;
                }
            }
        }
        return absentCategory(objects, rng);
    }

    private Optional<NoTarget> change(List<SceneObject> objects, SceneObject o, Change change, SplittableRandom rng) {
        List<String> nouns = ExpressionWriter.NOUNS.get(o.category());
        Description base = Description.single(o.category(), nouns.get(rng.nextInt(nouns.size())));
        List<SceneObject> same = objects.stream().filter(x -> x.category().equals(o.category())).toList();
        if ("road".equals(o.category()) && (change == Change.POSITION || change == Change.RELATION)) {
            // a road crosses the image: it has no one place, and a relation read between centres along the
            // reference's axis is often true of some part of it on both sides, so neither change is clearly wrong
            return Optional.empty();
        }
        switch (change) {
            case COLOUR -> {
                List<String> absent = SyntheticSceneGenerator.PALETTE.get(o.category()).keySet().stream().sorted()
                        .filter(c -> same.stream().noneMatch(x -> x.colour().equals(c))).toList();
                if (absent.isEmpty()) {
                    return Optional.empty();
                }
                Description original = base.withColour(o.colour());
                Description changed = base.withColour(absent.get(rng.nextInt(absent.size())));
                if (rng.nextDouble() < 0.3) { // plural too, so that a plural is no sign of a target
                    original = original.asPlural("all the");
                    changed = changed.asPlural("all the");
                }
                return Optional.of(new NoTarget(changed, change, original, o));
            }
            case POSITION -> {
                List<String> free = new ArrayList<>();
                for (String[] row : ExpressionWriter.REGIONS) {
                    for (String cell : row) {
                        if (same.stream().noneMatch(x -> nearCell(x, cell))) {
                            free.add(cell);
                        }
                    }
                }
                if (free.isEmpty()) {
                    return Optional.empty();
                }
                return Optional.of(new NoTarget(base.withRegion(free.get(rng.nextInt(free.size()))), change,
                        base.withRegion(words.region(o)), o));
            }
            case RELATION -> {
                for (SceneObject ref : objects) {
                    String refText = ref.category().equals(o.category()) ? null : words.shortName(objects, ref);
                    String actual = refText == null ? null : words.relation(o, ref);
                    if (actual == null) {
                        continue;
                    }
                    String opposite = oppositeRelation(actual);
                    // every object of the category clearly on the other side, not only the near miss
                    if (same.stream().allMatch(x -> actual.equals(words.relation(x, ref)))) {
                        return Optional.of(new NoTarget(base.withRelation(opposite, ref, refText), change,
                                base.withRelation(actual, ref, refText), o));
                    }
                }
                return Optional.empty();
            }
            case ROAD -> {
                boolean road = objects.stream().anyMatch(x -> "road".equals(x.category()));
                if (!road || !"vehicle".equals(o.category()) || same.stream().anyMatch(SceneObject::onRoad)) {
                    return Optional.empty();
                }
                return Optional.of(new NoTarget(base.withRoad(), change, base, o));
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    /** Whether the object's centre is in the cell or within {@link #BORDER_MARGIN} of it. */
    private boolean nearCell(SceneObject o, String cell) {
        double m = BORDER_MARGIN * imageSize;
        for (double dx : new double[] {-m, 0, m}) {
            for (double dy : new double[] {-m, 0, m}) {
                double x = Math.max(0, Math.min(imageSize - 1, o.centreX() + dx));
                double y = Math.max(0, Math.min(imageSize - 1, o.centreY() + dy));
                SceneObject moved = new SceneObject(o.category(), o.colour(), o.mask(), x, y, o.onRoad(), o.orientation());
                if (words.region(moved).equals(cell)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String oppositeRelation(String relation) {
        return switch (relation) {
            case "left of" -> "right of";
            case "right of" -> "left of";
            case "above" -> "below";
            default -> "above";
        };
    }

    private Optional<NoTarget> absentCategory(List<SceneObject> objects, SplittableRandom rng) {
        List<String> absent = SyntheticSceneGenerator.CATEGORIES.stream()
                .filter(c -> objects.stream().noneMatch(o -> o.category().equals(c))).toList();
        if (absent.isEmpty()) {
            return Optional.empty();
        }
        String category = absent.get(rng.nextInt(absent.size()));
        List<String> nouns = ExpressionWriter.NOUNS.get(category);
        Description d = Description.single(category, nouns.get(rng.nextInt(nouns.size())));
        if (rng.nextDouble() < 0.3) {
            d = d.asPlural("all the");
        }
        return Optional.of(new NoTarget(d, Change.ABSENT_CATEGORY, null, null));
    }

    private static <T> void shuffle(List<T> list, SplittableRandom rng) {
        for (int i = list.size() - 1; i > 0; i--) {
            java.util.Collections.swap(list, i, rng.nextInt(i + 1));
        }
    }
}
