package io.rrsis4j.data;

import java.util.Locale;

/** Split names as the benchmarks use them. */
public final class DatasetSplits {
    private DatasetSplits() {}

    /** The reference loaders treat any split whose name contains "test" (testA, testB, ...) as test. */
    public static String normalize(String split) {
        String s = split.toLowerCase(Locale.ROOT).strip();
        return s.contains("test") ? "test" : s;
    }

    /** 70 / 15 / 15 by scene index, interleaved so that every split sees the whole seed range. */
    public static String forScene(int index) {
        int k = index % 20;
        return k < 14 ? "train" : k < 17 ? "val" : "test";
    }
}
