package io.rrsis4j.data;

import java.util.Locale;

/** Generalized referring segmentation's three kinds of sentence (gRefCOCO): naming no object, one, or several. */
public enum TargetKind {
    NONE,
    SINGLE,
    MULTI;

    /** The kind of a sentence that names {@code targets} objects. */
    public static TargetKind of(int targets) {
        if (targets < 0) {
            throw new IllegalArgumentException("a sentence names 0 or more objects, not " + targets);
        }
        return targets == 0 ? NONE : targets == 1 ? SINGLE : MULTI;
    }

    /** "none", "single", "multi". */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
