package io.rrsis4j.io.raster;

import com.twelvemonkeys.imageio.plugins.tiff.TIFFImageReaderSpi;
import io.rrsis4j.InvalidInputException;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;

/**
 * JPEG-compressed TIFFs (new-style and old-style JPEG, photometric YCbCr or RGB: the usual aerial orthophoto and
 * COG layouts) decoded by TwelveMonkeys' TIFF reader, which converts YCbCr to RGB and, given a source region,
 * decodes only the tiles or strips the window touches. libjpeg versions round slightly differently, so samples may
 * differ from GDAL's by a few levels; the geometry does not.
 */
final class JpegTiffTiles implements GeoRaster.PixelSource {

    private final RasterBytes file;
    private final int bands;

    JpegTiffTiles(RasterBytes file, int bands) {
        this.file = file;
        this.bands = bands;
    }

    @Override
    public int bands() {
        return bands;
    }

    @Override
    public float[][] read(int x, int y, int w, int h, int[] bandIndices) {
        ImageReader reader = null;
        try (ImageInputStream in = file.localFile() != null ? new FileImageInputStream(file.localFile().toFile())
                : new RasterBytesImageInputStream(file)) {
            reader = new TIFFImageReaderSpi().createReaderInstance();
            reader.setInput(in, true, true);
            ImageReadParam param = reader.getDefaultReadParam();
            param.setSourceRegion(new Rectangle(x, y, w, h));
            BufferedImage image = StrictImageReading.read(reader, param);
            Raster r = image.getRaster();
            if (r.getWidth() != w || r.getHeight() != h || r.getNumBands() != bands) {
                throw file.problem("JPEG data in TIFF decodes to " + r.getNumBands()
                        + " band(s) of " + r.getWidth() + " x " + r.getHeight() + ", its tags say " + bands);
            }
            float[][] out = new float[bandIndices.length][];
            for (int i = 0; i < bandIndices.length; i++) {
                out[i] = r.getSamples(0, 0, w, h, bandIndices[i], new float[w * h]);
            }
            return out;
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidInputException iie) {
                throw iie;
            }
            throw file.problem("cannot decode JPEG data in TIFF: " + GeoRaster.oneLine(e), e);
        } finally {
            if (reader != null) {
                reader.dispose();
            }
        }
    }
}
