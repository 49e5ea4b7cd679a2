package io.rrsis4j.data.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * D-MOLS's data side (BTDNET.md "D-MOLS"): finds the words naming the referred object's category and erases some of
 * their WordPiece tokens with [MASK], keeping the attention mask.
 *
 * <p>Entity words come from the benchmarks' category vocabularies (DATA.md: 20 RRSIS-D classes, 14 RefSegRS classes)
 * with plurals and common synonyms, matched on the sentence's words, longest phrase first ("storage tank" before
 * "tank"). The referred object is the first category phrase of the sentence (referring expressions name it before
 * their landmarks: "the tank next to the ship"). Without one, the last noun-like word before the first relation word
 * ("of", "on", "near", "left", ...) is taken, or the sentence's last noun-like word. Every sub-token of the chosen
 * words is an entity position (positions count [CLS], as {@link TokenizedSentence#wordOfPiece()} does); pieces cut
 * off by truncation are not.
 */
public final class EntityEraser {
    /** Category names of RRSIS-D (DIOR) and RefSegRS, singular and plural, and the synonyms people write. */
    static final List<String> CATEGORY_PHRASES = List.of(
            // RRSIS-D
            "airplane", "airplanes", "plane", "planes", "aircraft", "aircrafts", "jet", "jets", "aeroplane", "aeroplanes",
            "airport", "airports", "airfield", "airfields",
            "golf field", "golf fields", "golf course", "golf courses", "golf",
            "expressway service area", "expressway service areas", "service area", "service areas",
            "baseball field", "baseball fields", "baseball diamond", "baseball diamonds",
            "stadium", "stadiums",
            "ground track field", "ground track fields", "track field", "track fields", "running track", "running tracks",
            "storage tank", "storage tanks", "oil tank", "oil tanks", "tank", "tanks",
            "basketball court", "basketball courts",
            "chimney", "chimneys",
            "tennis court", "tennis courts", "court", "courts",
            "overpass", "overpasses", "flyover", "flyovers",
            "train station", "train stations", "railway station", "railway stations", "station", "stations",
            "ship", "ships", "boat", "boats", "vessel", "vessels",
            "expressway toll station", "expressway toll stations", "toll station", "toll stations", "toll gate",
            "toll gates", "tollgate", "tollgates",
            "dam", "dams",
            "harbor", "harbors", "harbour", "harbours", "port", "ports",
            "bridge", "bridges",
            "vehicle", "vehicles",
            "windmill", "windmills", "wind turbine", "wind turbines", "turbine", "turbines",
            // RefSegRS
            "road", "roads", "street", "streets", "highway", "highways",
            "car", "cars", "van", "vans", "truck", "trucks", "trailer", "trailers", "bus", "buses",
            "building", "buildings", "house", "houses",
            "road marking", "road markings", "marking", "markings", "lane marking", "lane markings",
            "bikeway", "bikeways", "bike lane", "bike lanes", "bicycle lane", "bicycle lanes",
            "sidewalk", "sidewalks", "pavement", "pavements",
            "tree", "trees",
            "low vegetation", "vegetation", "grass", "lawn", "lawns",
            "impervious surface", "impervious surfaces",
            // other objects the scenes name
            "field", "fields", "lake", "lakes", "pond", "ponds", "river", "rivers", "pool", "pools",
            "parking lot", "parking lots", "roof", "roofs");

    /** Words that relate the referent to something else; the referent is named before them. */
    static final Set<String> RELATION_WORDS = Set.of("of", "on", "near", "left", "right", "next", "above", "below",
            "in", "at", "beside", "between", "under", "behind", "by", "along", "across", "around", "with", "to",
            "from", "over", "beneath", "close", "closest", "nearest", "adjacent", "surrounded", "surrounding");

    /** Words that are not nouns in these sentences: articles, colours, sizes, orders, verbs, positions. */
    static final Set<String> NOT_NOUN = Set.of("the", "a", "an", "this", "that", "which", "who", "is", "are", "it",
            "its", "and", "or", "one", "two", "three", "first", "second", "third", "last", "big", "bigger", "biggest",
            "small", "smaller", "smallest", "large", "larger", "largest", "long", "longer", "longest", "short", "tiny",
            "huge", "upper", "lower", "top", "bottom", "middle", "center", "centre", "red", "blue", "green", "yellow",
            "white", "black", "gray", "grey", "brown", "orange", "dark", "light", "bright", "round", "square",
            "located", "situated", "lies", "standing", "parked", "most", "very", "other", "another");

    private final Set<String> phrases;
    private final int longestPhrase;
    private final long maskId;

    /** @param maskId id of [MASK] in the tokenizer's vocabulary ({@link WordPieceTokenizer#maskId()}) */
    public EntityEraser(long maskId) {
        this.maskId = maskId;
        this.phrases = new HashSet<>(CATEGORY_PHRASES);
        this.longestPhrase = CATEGORY_PHRASES.stream().mapToInt(p -> p.split(" ").length).max().orElse(1);
    }

    public EntityEraser(WordPieceTokenizer tokenizer) {
        this(tokenizer.maskId());
    }

    /**
     * The erased sentence.
     *
     * @param ids token ids (max tokens), entity tokens replaced by [MASK]; the attention mask is unchanged
     * @param labels the original id at erased positions, -1 elsewhere (the reconstruction loss ignores -1)
     * @param erasedPositions the token positions replaced, ascending
     */
    public record ErasedSentence(long[] ids, long[] labels, int[] erasedPositions) {}

    /** Indices (into {@link TokenizedSentence#words()}) of the words naming the referred object. */
    public List<Integer> entityWords(List<String> words) {
        for (int i = 0; i < words.size(); i++) {
            for (int len = Math.min(longestPhrase, words.size() - i); len >= 1; len--) {
                if (phrases.contains(String.join(" ", words.subList(i, i + len)))) {
                    List<Integer> out = new ArrayList<>();
                    for (int k = i; k < i + len; k++) {
                        out.add(k);
                    }
                    return out;
                }
            }
        }
        int end = words.size();
        for (int i = 1; i < words.size(); i++) {
            if (RELATION_WORDS.contains(words.get(i))) {
                end = i;
                break;
            }
        }
        for (int i = end - 1; i >= 0; i--) {
            if (isNounLike(words.get(i))) {
                return List.of(i);
            }
        }
        return List.of();
    }

    private static boolean isNounLike(String word) {
        return word.chars().allMatch(Character::isLetter) && word.length() > 1 && !NOT_NOUN.contains(word)
                && !RELATION_WORDS.contains(word);
    }

    /** Token positions of the entity words' pieces that survived truncation, ascending. */
    public List<Integer> entityPositions(TokenizedSentence sentence) {
        Set<Integer> words = new HashSet<>(entityWords(sentence.words()));
        int[] wordOf = sentence.wordOfPiece();
        List<Integer> positions = new ArrayList<>();
        for (int p = 0; p < wordOf.length; p++) {
            if (wordOf[p] >= 0 && words.contains(wordOf[p])) {
                positions.add(p);
            }
        }
        return positions;
    }

    /** Erases a random number (1 to all) of randomly chosen entity tokens; nothing when no entity is found. */
    public ErasedSentence eraseEntityWords(TokenizedSentence sentence, Random random) {
        List<Integer> positions = new ArrayList<>(entityPositions(sentence));
        long[] ids = sentence.ids().clone();
        long[] labels = new long[ids.length];
        Arrays.fill(labels, -1);
        if (positions.isEmpty()) {
            return new ErasedSentence(ids, labels, new int[0]);
        }
        int count = 1 + random.nextInt(positions.size());
        Collections.shuffle(positions, random);
        int[] erased = positions.subList(0, count).stream().mapToInt(Integer::intValue).sorted().toArray();
        for (int p : erased) {
            labels[p] = ids[p];
            ids[p] = maskId;
        }
        return new ErasedSentence(ids, labels, erased);
    }
}
