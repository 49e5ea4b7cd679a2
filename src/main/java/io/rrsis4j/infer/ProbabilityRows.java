package io.rrsis4j.infer;

/**
 * Receives a scene's blended target probability one row at a time, top to bottom, quantised to one byte per pixel
 * (level 0-255 = probability x 255, rounded): how {@link TileBlender} hands on rows it has finished, so that
 * nothing needs the whole scene in memory.
 */
@FunctionalInterface
public interface ProbabilityRows {
    /** Row {@code y}'s levels; the array is reused for the next row, so a receiver that keeps it copies it. */
    void row(int y, byte[] levels);
}
