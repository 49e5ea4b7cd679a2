package io.rrsis4j.io.raster;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bands shown as red, green and blue when {@code --bands} is not given, from what the file says, in this order:
 * GDAL's colour interpretation (Red, Green, Blue; an RGB TIFF's first three bands), band descriptions that name the
 * colour ("Red", "B4 red"; not "red edge" nor "near infrared"), central wavelengths in the descriptions ("665 nm":
 * red 620-700, green 500-600, blue 430-500 nm), Sentinel-2 band names (B2/B02, B3, B4 with B8A, B11 or B12) and
 * Landsat 8/9 Collection 2 names (SR_B2, SR_B3, SR_B4 with SR_B6); else the first three bands, saying so.
 *
 * @param bands       0-based band indices shown as red, green, blue
 * @param description which bands, and why, for the run's summary
 */
record DefaultBands(int[] bands, String description) {

    private static final Pattern COLOUR_WORD = Pattern.compile("(?i)(?<![a-z])(red|green|blue)(?![a-z])");
    private static final Pattern NOT_VISIBLE = Pattern.compile("(?i)red[ _-]?edge|infra[ _-]?red|\\bnir\\b");
    private static final Pattern WAVELENGTH = Pattern.compile("(?i)(\\d{3,4}(?:\\.\\d+)?)\\s*nm\\b");
    private static final Pattern BAND_NAME = Pattern.compile("(?i)^(SR_)?B0?(\\d{1,2}A?)$");

    static DefaultBands pick(GeoRaster raster) {
        int n = raster.bands();
        if (n < 3) {
            return new DefaultBands(new int[] {0, 0, 0}, "band 1 as grey" + (n == 2 ? " (of 2; choose with --bands)" : ""));
        }
        String[] colours = {"red", "green", "blue"};
        int[] byInterpretation = new int[3];
        int[] byWord = new int[3];
        int[] byWavelength = new int[3];
        java.util.Arrays.fill(byInterpretation, -1);
        java.util.Arrays.fill(byWord, -1);
        java.util.Arrays.fill(byWavelength, -1);
        Map<String, Integer> names = new HashMap<>();
        boolean landsat = false;
        for (int b = n - 1; b >= 0; b--) { // the first band of a colour wins
            String interpretation = raster.colourInterpretation(b).toLowerCase(Locale.ROOT);
            String description = raster.bandDescription(b).strip();
            for (int c = 0; c < 3; c++) {
                byInterpretation[c] = interpretation.equals(colours[c]) ? b : byInterpretation[c];
            }
            Matcher word = COLOUR_WORD.matcher(description);
            if (word.find() && !NOT_VISIBLE.matcher(description).find()) {
                byWord[java.util.List.of(colours).indexOf(word.group(1).toLowerCase(Locale.ROOT))] = b;
            }
            Matcher nm = WAVELENGTH.matcher(description);
            if (nm.find()) {
                double wavelength = Double.parseDouble(nm.group(1));
                int c = wavelength >= 620 && wavelength <= 700 ? 0 : wavelength >= 500 && wavelength < 600 ? 1
                        : wavelength >= 430 && wavelength < 500 ? 2 : -1;
                if (c >= 0) {
                    byWavelength[c] = b;
                }
            }
            Matcher name = BAND_NAME.matcher(description);
            if (name.matches()) {
                names.put("B" + name.group(2).toUpperCase(Locale.ROOT), b);
                landsat |= name.group(1) != null;
            }
        }
        if (all(byInterpretation)) {
            return chosen(byInterpretation, "from the colour interpretation");
        }
        if (all(byWord)) {
            return chosen(byWord, "from the band descriptions");
        }
        if (all(byWavelength)) {
            return chosen(byWavelength, "from the central wavelengths in the band descriptions");
        }
        boolean trueColourNames = names.containsKey("B2") && names.containsKey("B3") && names.containsKey("B4");
        if (trueColourNames && !landsat && (names.containsKey("B8A") || names.containsKey("B11")
                || names.containsKey("B12"))) {
            return chosen(new int[] {names.get("B4"), names.get("B3"), names.get("B2")},
                    "Sentinel-2 B4, B3, B2, from the band descriptions");
        }
        if (trueColourNames && landsat && names.containsKey("B6")) {
            return chosen(new int[] {names.get("B4"), names.get("B3"), names.get("B2")},
                    "Landsat 8/9 SR_B4, SR_B3, SR_B2, from the band descriptions");
        }
        return new DefaultBands(new int[] {0, 1, 2}, "bands 1,2,3 of " + n + " as red, green, blue: nothing in the"
                + " file names the colours (choose others with --bands)");
    }

    private static boolean all(int[] bands) {
        return bands[0] >= 0 && bands[1] >= 0 && bands[2] >= 0 && bands[0] != bands[1] && bands[1] != bands[2]
                && bands[0] != bands[2];
    }

    private static DefaultBands chosen(int[] bands, String why) {
        return new DefaultBands(bands, "bands " + (bands[0] + 1) + "," + (bands[1] + 1) + "," + (bands[2] + 1)
                + " as red, green, blue (" + why + ")");
    }
}
