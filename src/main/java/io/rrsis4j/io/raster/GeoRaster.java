package io.rrsis4j.io.raster;

import io.rrsis4j.InvalidInputException;
import io.rrsis4j.io.files.FileErrors;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * A scene raster with its georeferencing, read by window. TIFFs (classic and BigTIFF, stripped or tiled, COGs) are
 * recognised by their header, whatever the file name, and read as GDAL reads them: the first (full-resolution)
 * image, uncompressed or LZW, Deflate, PackBits, ZSTD ({@link TiffBlocks}, block by block) or JPEG with YCbCr or
 * RGB ({@link JpegTiffTiles}); palette (and 1-bit or min-is-white) images shown in their RGB colours; 1- to 32- and
 * 64-bit integers, 32/64-bit floats. Other compressions (LERC, LZMA, WebP, JPEG 2000, CCITT...) and band-interleaved
 * JPEG give a one-line error naming what is not read. Plain PNG/JPEG are decoded
 * whole with ImageIO and carry no georeferencing: identity pixel transform, no CRS.
 */
public final class GeoRaster {

    /** Where the samples come from: TIFF blocks, JPEG-in-TIFF tiles, or a decoded plain image. */
    interface PixelSource {
        int bands();

        /** Samples of a window inside the raster, one array per requested 0-based band, row-major. */
        float[][] read(int x, int y, int w, int h, int[] bandIndices);
    }

    private static final Map<Integer, String> COMPRESSIONS = Map.ofEntries(
            Map.entry(1, "none"), Map.entry(2, "CCITTRLE"), Map.entry(3, "CCITTFAX3"),
            Map.entry(4, "CCITTFAX4"), Map.entry(5, "LZW"), Map.entry(6, "old-style JPEG"), Map.entry(7, "JPEG"),
            Map.entry(8, "Deflate"), Map.entry(32946, "Deflate"), Map.entry(32773, "PackBits"),
            Map.entry(34712, "JPEG 2000"), Map.entry(34887, "LERC"), Map.entry(34925, "LZMA"),
            Map.entry(50000, "ZSTD"), Map.entry(50001, "WebP"), Map.entry(50002, "JPEG XL"),
            Map.entry(52546, "JPEG XL"));
    private static final String READABLE = "readable: none, LZW, Deflate, PackBits, ZSTD, JPEG";

    private final RasterBytes file;
    private final int width;
    private final int height;
    private final int bitsPerSample;
    private final int sampleKind;
    private final GeoReferencing geo;
    private final PixelSource source;
    private double noData = Double.NaN;
    private GdalMetadata metadata = GdalMetadata.parse(null);
    private boolean photometricRgb;
    private int alphaBand = -1;

    private GeoRaster(RasterBytes file, int width, int height, int bits, int sampleKind, GeoReferencing geo,
                      PixelSource source) {
        this.file = file;
        this.width = width;
        this.height = height;
        this.bitsPerSample = bits;
        this.sampleKind = sampleKind;
        this.geo = geo;
        this.source = source;
    }

    public static GeoRaster open(Path file) {
        FileErrors.requireFile(file, "image file");
        return open(RasterBytes.of(file));
    }

    /**
     * The raster in {@code file}, wherever its bytes are: a TIFF's header and directory are read now, its pixels
     * window by window (only the blocks a window touches); a plain image is decoded whole.
     */
    public static GeoRaster open(RasterBytes file) {
        TiffDirectory dir = TiffDirectory.read(file);
        return dir != null ? openTiff(file, dir) : openPlain(file);
    }

    private static GeoRaster openTiff(RasterBytes file, TiffDirectory dir) {
        long width = dir.first(256, 0);
        long height = dir.first(257, 0);
        long spp = dir.first(277, 1);
        if (width <= 0 || height <= 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw file.problem("TIFF size " + width + " x " + height + " is not valid");
        }
        if (spp <= 0 || spp > 65535) {
            throw file.problem("TIFF has " + spp + " samples per pixel");
        }
        int bits = uniform(file, dir.get(258), 1, "bits per sample");
        int kind = uniform(file, dir.get(339), TiffBlocks.SampleFormat.UNSIGNED, "sample formats");
        kind = kind == 4 ? TiffBlocks.SampleFormat.UNSIGNED : kind; // 4: "undefined", read as unsigned like GDAL
        checkSampleType(file, bits, kind);
        int compression = (int) dir.first(259, 1);
        int photometric = (int) dir.first(262, spp >= 3 ? 2 : 1);
        GeoReferencing geo = GeoReferencing.fromTags(dir);
        PixelSource source;
        if (compression == 6 || compression == 7) {
            if (bits != 8 || kind != TiffBlocks.SampleFormat.UNSIGNED) {
                throw file.problem(bits + "-bit JPEG in TIFF is not supported (8-bit only)");
            }
            if (spp > 1 && dir.first(284, 1) == 2) {
                throw file.problem("band-interleaved JPEG TIFF is not supported (rewrite it with"
                        + " gdal_translate -co COMPRESS=JPEG -co INTERLEAVE=PIXEL)");
            }
            source = new JpegTiffTiles(file, (int) spp);
        } else if (compression == 1 || compression == 5 || compression == 8 || compression == 32946
                || compression == 32773 || compression == 50000) {
            if (photometric == 6) {
                throw file.problem("YCbCr TIFF without JPEG compression is not supported");
            }
            TiffBlocks blocks = TiffBlocks.open(file, dir, (int) width, (int) height, compression, (int) spp,
                    new TiffBlocks.SampleFormat(bits, kind, dir.order));
            if (blocks.expandsPalette()) {
                bits = 8;
            }
            source = blocks;
        } else {
            throw file.problem("TIFF compression " + compressionName(compression)
                    + " is not supported (" + READABLE + ")");
        }
        GeoRaster raster = new GeoRaster(file, (int) width, (int) height, bits, kind, geo, source);
        raster.metadata = GdalMetadata.parse(dir.ascii(42112)); // GDAL_METADATA: band names, colours, scale
        raster.photometricRgb = photometric == 2 || photometric == 6 || photometric == 3; // palettes read as RGB
        double[] extra = dir.get(338); // ExtraSamples: 1 associated, 2 unassociated alpha, as GDAL reads them
        for (int i = 0; extra != null && i < extra.length; i++) {
            if (extra[i] == 1 || extra[i] == 2) {
                raster.alphaBand = (int) spp - extra.length + i;
            }
        }
        String noData = dir.ascii(42113); // GDAL_NODATA
        if (noData != null) {
            try {
                raster.noData = Double.parseDouble(noData.replace("\0", "").strip());
            } catch (NumberFormatException e) {
                // GDAL ignores an unparsable nodata value too
            }
        }
        return raster;
    }

    private static int uniform(RasterBytes file, double[] values, int fallback, String what) {
        if (values == null || values.length == 0) {
            return fallback;
        }
        if (Arrays.stream(values).anyMatch(v -> v != values[0])) {
            throw file.problem("TIFF bands with different " + what + " are not supported");
        }
        return (int) values[0];
    }

    private static void checkSampleType(RasterBytes file, int bits, int kind) {
        boolean ok = switch (kind) {
            case TiffBlocks.SampleFormat.UNSIGNED -> (bits >= 1 && bits <= 32) || bits == 64;
            case TiffBlocks.SampleFormat.SIGNED -> bits == 8 || bits == 16 || bits == 32 || bits == 64;
            case TiffBlocks.SampleFormat.FLOAT -> bits == 32 || bits == 64;
            default -> false;
        };
        if (!ok) {
            String type = kind == TiffBlocks.SampleFormat.FLOAT ? "floating-point" : kind == 2 ? "signed" : "unsigned";
            throw file.problem(bits + "-bit " + (kind >= 1 && kind <= 3 ? type : "sample format "
                    + kind) + " samples are not supported");
        }
    }

    /** Whether bytes start with a TIFF or BigTIFF header, in either byte order. */
    public static boolean startsLikeTiff(byte[] head) {
        return head.length >= 4 && ((head[0] == 'I' && head[1] == 'I' && (head[2] == 42 || head[2] == 43) && head[3] == 0)
                || (head[0] == 'M' && head[1] == 'M' && head[2] == 0 && (head[3] == 42 || head[3] == 43)));
    }

    /** Whether a file starts with a TIFF or BigTIFF header (whatever its name). */
    public static boolean isTiff(Path file) {
        try (var in = Files.newInputStream(file)) {
            return startsLikeTiff(in.readNBytes(4));
        } catch (java.io.IOException e) {
            throw new InvalidInputException(file, "cannot read image: " + oneLine(e), e);
        }
    }

    static String compressionName(int code) {
        String name = COMPRESSIONS.get(code);
        return name == null ? "code " + code : name + " (" + code + ")";
    }

    /** A message on one line, for the one-line input errors. */
    static String oneLine(Object problem) {
        String message = problem instanceof Throwable t
                ? (t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage()) : String.valueOf(problem);
        return message.replaceAll("\\s+", " ").strip();
    }

    private static GeoRaster openPlain(RasterBytes file) {
        BufferedImage image = StrictImageReading.read(file);
        if (image.getColorModel() instanceof IndexColorModel) {
            // palette PNG/GIF: segment the colours, not the indices
            BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
            Graphics2D g = rgb.createGraphics();
            g.drawImage(image, 0, 0, null);
            g.dispose();
            image = rgb;
        }
        Raster r = image.getRaster();
        int bits = r.getSampleModel().getSampleSize(0) > 8 ? 16 : 8;
        BufferedImage decoded = image;
        PixelSource pixels = new PixelSource() {
            @Override
            public int bands() {
                return decoded.getRaster().getNumBands();
            }

            @Override
            public float[][] read(int x, int y, int w, int h, int[] bandIndices) {
                float[][] out = new float[bandIndices.length][];
                for (int i = 0; i < bandIndices.length; i++) {
                    out[i] = decoded.getRaster().getSamples(x, y, w, h, bandIndices[i], new float[w * h]);
                }
                return out;
            }
        };
        GeoRaster raster = new GeoRaster(file, image.getWidth(), image.getHeight(), bits,
                TiffBlocks.SampleFormat.UNSIGNED, GeoReferencing.none(), pixels);
        raster.photometricRgb = pixels.bands() >= 3; // ImageIO decodes colour images to RGB(A)
        return raster;
    }

    /** The local file, or null when the raster is read from cluster storage. */
    public Path file() {
        return file.localFile();
    }

    /** The raster's path or URI, for messages. */
    public String name() {
        return file.name();
    }

    /** A one-line input error naming the raster. */
    public InvalidInputException problem(String problem) {
        return file.problem(problem);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int bands() {
        return source.bands();
    }

    public int bitsPerSample() {
        return bitsPerSample;
    }

    /** True for 8-bit unsigned samples, which the model sees unstretched; everything else is stretched. */
    public boolean isEightBitUnsigned() {
        return bitsPerSample == 8 && sampleKind == TiffBlocks.SampleFormat.UNSIGNED;
    }

    /** True for floating-point samples, which may hold NaN where there is no data. */
    public boolean isFloat() {
        return sampleKind == TiffBlocks.SampleFormat.FLOAT;
    }

    public GeoReferencing geo() {
        return geo;
    }

    /** GDAL's nodata value of the scene (tag GDAL_NODATA), NaN when it has none. */
    public double noData() {
        return noData;
    }

    /** The band's description (0-based band), as GDAL keeps it in GDAL_METADATA; empty when none. */
    public String bandDescription(int band) {
        String d = metadata.band(band, "description");
        return d == null ? "" : d;
    }

    /**
     * The band's colour as GDAL interprets it (0-based band): "Red", "Green", "Blue", "Alpha", "Gray", ... from
     * GDAL_METADATA's colorinterp items, else the first three bands of an RGB (or YCbCr, or palette) image; empty
     * when nothing says.
     */
    public String colourInterpretation(int band) {
        String c = metadata.band(band, "colorinterp");
        if (c != null && !c.isBlank()) {
            return c;
        }
        if (band == alphaBand) {
            return "Alpha";
        }
        return photometricRgb && band < 3 ? new String[] {"Red", "Green", "Blue"}[band] : "";
    }

    /** The band's scale to physical values (GDAL's SCALE, e.g. 0.0001 for reflectance x 10,000); 1 when none. */
    public double scale(int band) {
        return metadata.number(band, "scale", 1);
    }

    /** The band's offset to physical values (GDAL's OFFSET, applied after the scale); 0 when none. */
    public double offset(int band) {
        return metadata.number(band, "offset", 0);
    }

    /**
     * Samples of a window, one array per requested band (0-based band indices), row-major (index y * w + x), as
     * stored: integers exactly, floats as float (64-bit values rounded). Palette images give their RGB colours.
     */
    public float[][] readSamples(int x, int y, int w, int h, int[] bandIndices) {
        if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > width || y + h > height) {
            throw new IllegalArgumentException("window " + x + "," + y + " " + w + "x" + h + " outside "
                    + width + "x" + height);
        }
        for (int b : bandIndices) {
            if (b < 0 || b >= bands()) {
                throw file.problem("band " + (b + 1) + " requested but the image has " + bands());
            }
        }
        return source.read(x, y, w, h, bandIndices);
    }

    /** {@link #readSamples} rounded to integers (exact for integer rasters). */
    public int[][] readWindow(int x, int y, int w, int h, int[] bandIndices) {
        float[][] samples = readSamples(x, y, w, h, bandIndices);
        int[][] out = new int[samples.length][];
        for (int i = 0; i < samples.length; i++) {
            out[i] = new int[samples[i].length];
            for (int p = 0; p < out[i].length; p++) {
                out[i][p] = Math.round(samples[i][p]);
            }
        }
        return out;
    }
}
