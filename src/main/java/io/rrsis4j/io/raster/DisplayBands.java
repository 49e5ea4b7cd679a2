package io.rrsis4j.io.raster;

import io.rrsis4j.InvalidInputException;
import java.awt.image.BufferedImage;

/**
 * The three bands of a scene that the model sees, as 8-bit RGB. Bands are chosen 1-based (like GDAL's
 * {@code --bands 3,2,1}); by default red, green and blue as the file names them ({@link DefaultBands}: colour
 * interpretation, band descriptions, central wavelengths, Sentinel-2 and Landsat 8/9 band names), else the first
 * three bands (or a single band repeated), and {@link #choice()} says which. Samples other than 8-bit unsigned
 * (12- and 16-bit, signed, float reflectance) are stretched linearly between the 2nd and 98th percentile of the three
 * bands' values together, so that colours keep their balance (each band's GDAL scale and offset applied first, so
 * bands stored with different scalings still compare), NaN and GDAL's nodata value left out and shown black; the
 * percentiles come from a subsampled pass over the scene (about {@value #SAMPLE_ROWS} evenly spaced rows, every few
 * pixels), never the whole raster at once. {@link #noData} tells where the bands shown have no data.
 */
public final class DisplayBands {

    static final int SAMPLE_ROWS = 256;
    private static final double LOW_PERCENTILE = 0.02;
    private static final double HIGH_PERCENTILE = 0.98;

    private final GeoRaster raster;
    private final int[] bandIndices;
    private final double[] low;
    private final double[] high;
    private final boolean stretched;
    private final String choice;
    private final int alphaBand;

    private DisplayBands(GeoRaster raster, int[] bandIndices, double[] low, double[] high, boolean stretched,
                         String choice) {
        this.raster = raster;
        this.bandIndices = bandIndices;
        this.low = low;
        this.high = high;
        this.stretched = stretched;
        this.choice = choice;
        int alpha = -1;
        for (int b = 0; b < raster.bands() && alpha < 0; b++) {
            alpha = raster.colourInterpretation(b).equalsIgnoreCase("Alpha") ? b : -1;
        }
        this.alphaBand = alpha;
    }

    /**
     * What another JVM needs to show the same scene the same way (Spark executors reading their own windows): the
     * chosen band indices (0-based) and each display channel's stretch limits.
     */
    public record Settings(int[] bandIndices, double[] low, double[] high, boolean stretched, String choice)
            implements java.io.Serializable {}

    public Settings settings() {
        return new Settings(bandIndices.clone(), low.clone(), high.clone(), stretched, choice);
    }

    /** The view described by {@code settings} (taken from {@link #settings()} of the same scene elsewhere). */
    public static DisplayBands like(GeoRaster raster, Settings settings) {
        return new DisplayBands(raster, settings.bandIndices().clone(), settings.low().clone(), settings.high().clone(),
                settings.stretched(), settings.choice());
    }

    /** @param bandsOneBased 1 or 3 band numbers (1-based), or null for the default choice */
    public static DisplayBands of(GeoRaster raster, int[] bandsOneBased) {
        int[] chosen;
        String choice;
        if (bandsOneBased == null || bandsOneBased.length == 0) {
            DefaultBands picked = DefaultBands.pick(raster);
            chosen = picked.bands();
            choice = picked.description();
        } else if (bandsOneBased.length == 3 || bandsOneBased.length == 1) {
            chosen = new int[3];
            for (int i = 0; i < 3; i++) {
                int b = bandsOneBased[bandsOneBased.length == 1 ? 0 : i];
                if (b < 1 || b > raster.bands()) {
                    throw raster.problem("band " + b + " requested but the image has " + raster.bands());
                }
                chosen[i] = b - 1;
            }
            choice = "bands " + (chosen[0] + 1) + "," + (chosen[1] + 1) + "," + (chosen[2] + 1) + " (--bands)";
        } else {
            throw new IllegalArgumentException("--bands takes 1 or 3 band numbers, got " + bandsOneBased.length);
        }
        double[] low = {0, 0, 0};
        double[] high = {255, 255, 255};
        boolean stretched = !raster.isEightBitUnsigned();
        if (stretched) {
            stretchLimits(raster, chosen, low, high);
        }
        return new DisplayBands(raster, chosen, low, high, stretched, choice);
    }

    /** Which bands are shown as red, green and blue, and why, for the run's summary. */
    public String choice() {
        return choice;
    }

    /**
     * Where a window has no data, row-major: a band shown is NaN or GDAL's nodata value, or the alpha band is 0.
     * Null when the scene cannot have such pixels (integer samples without a nodata value or alpha), so that
     * ordinary scenes are not read twice.
     */
    public boolean[] noData(int x, int y, int w, int h) {
        if (Double.isNaN(raster.noData()) && alphaBand < 0 && !raster.isFloat()) {
            return null;
        }
        int[] bands = alphaBand < 0 ? bandIndices : new int[] {bandIndices[0], bandIndices[1], bandIndices[2], alphaBand};
        float[][] s = raster.readSamples(x, y, w, h, bands);
        float noData = (float) raster.noData();
        boolean[] out = new boolean[w * h];
        for (int p = 0; p < out.length; p++) {
            for (int b = 0; b < 3 && !out[p]; b++) {
                out[p] = Float.isNaN(s[b][p]) || s[b][p] == noData;
            }
            out[p] |= alphaBand >= 0 && s[3][p] == 0;
        }
        return out;
    }


    /** Parses "3,2,1" into 1-based band numbers; null or blank gives null (default bands). */
    public static int[] parse(String bands) {
        if (bands == null || bands.isBlank()) {
            return null;
        }
        String[] parts = bands.split(",", -1);
        if (parts.length != 1 && parts.length != 3) {
            throw new InvalidInputException("--bands '" + bands + "': give 1 or 3 band numbers (1-based), e.g. 3,2,1");
        }
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new InvalidInputException("--bands '" + bands + "': '" + parts[i].trim()
                        + "' is not a band number (1-based, e.g. 3,2,1)");
            }
            if (out[i] < 1) {
                throw new InvalidInputException("--bands '" + bands + "': band numbers start at 1");
            }
        }
        return out;
    }

    /**
     * One stretch for the three channels, so that colours keep their balance (a red roof stays red): the 2nd and
     * 98th percentile of the three bands' physical values together (each band's scale and offset applied), mapped
     * back to each band's raw samples.
     */
    private static void stretchLimits(GeoRaster raster, int[] chosen, double[] low, double[] high) {
        int rows = Math.min(SAMPLE_ROWS, raster.height());
        int colStep = Math.max(1, raster.width() / 1024);
        int perRow = (raster.width() + colStep - 1) / colStep;
        float[] values = new float[3 * rows * perRow];
        int count = 0;
        for (int r = 0; r < rows; r++) {
            int y = (int) ((r + 0.5) * raster.height() / rows);
            float[][] samples = raster.readSamples(0, y, raster.width(), 1, chosen);
            for (int x = 0; x < raster.width(); x += colStep) {
                boolean noData = false;
                for (int b = 0; b < 3; b++) {
                    noData |= Float.isNaN(samples[b][x]) || samples[b][x] == (float) raster.noData();
                }
                for (int b = 0; b < 3 && !noData; b++) {
                    values[count++] = (float) (samples[b][x] * raster.scale(chosen[b]) + raster.offset(chosen[b]));
                }
            }
        }
        float[] v = java.util.Arrays.copyOf(values, count);
        java.util.Arrays.sort(v);
        double lowValue = percentile(v, LOW_PERCENTILE);
        double highValue = percentile(v, HIGH_PERCENTILE);
        for (int b = 0; b < 3; b++) {
            double scale = raster.scale(chosen[b]) == 0 ? 1 : raster.scale(chosen[b]);
            low[b] = (lowValue - raster.offset(chosen[b])) / scale;
            high[b] = (highValue - raster.offset(chosen[b])) / scale;
            if (high[b] <= low[b]) {
                high[b] = low[b] + 1;
            }
        }
    }

    private static double percentile(float[] sorted, double fraction) {
        if (sorted.length == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(fraction * sorted.length));
        return sorted[(int) Math.min(sorted.length, rank) - 1];
    }

    /** Lower and upper stretch limit of display channel 0-2 (raw sample values mapped to 0 and 255). */
    public double[] stretch(int channel) {
        return new double[] {low[channel], high[channel]};
    }

    public GeoRaster raster() {
        return raster;
    }

    /** A window of the scene as an 8-bit RGB image. */
    public BufferedImage readRgb(int x, int y, int w, int h) {
        float[][] s = raster.readSamples(x, y, w, h, bandIndices);
        int[] argb = new int[w * h];
        for (int p = 0; p < argb.length; p++) {
            argb[p] = 0xFF000000 | (to8(s[0][p], 0) << 16) | (to8(s[1][p], 1) << 8) | to8(s[2][p], 2);
        }
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, w, h, argb, 0, w);
        return image;
    }

    private int to8(float v, int c) {
        if (!stretched) {
            return (int) v;
        }
        if (Float.isNaN(v) || v == (float) raster.noData()) {
            return 0;
        }
        long scaled = Math.round(255.0 * (v - low[c]) / (high[c] - low[c]));
        return (int) Math.max(0, Math.min(255, scaled));
    }
}
