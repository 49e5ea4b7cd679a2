package io.rrsis4j.io.raster;

import java.awt.geom.AffineTransform;
import java.awt.image.AffineTransformOp;
import java.awt.image.BufferedImage;
import java.io.IOException;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import org.w3c.dom.Node;

/**
 * The EXIF orientation of a camera or phone picture (TIFF tag 274, values 1-8), as the image reader reports it in the
 * standard metadata ({@code Dimension/ImageOrientation}; TwelveMonkeys' JPEG reader fills it from the EXIF segment,
 * naming the turn that brought the picture into its stored, counter-clockwise: EXIF 6 is "Rotate270").
 * Every viewer turns the picture upright by it, so the model, the masks and the overlays see it upright too.
 */
public enum ImageOrientation {
    NORMAL(1, "Normal", ""),
    FLIP_H(2, "FlipH", "mirrored left to right"),
    ROTATE_180(3, "Rotate180", "rotated 180 degrees"),
    FLIP_V(4, "FlipV", "mirrored top to bottom"),
    TRANSPOSE(5, "FlipVRotate90", "mirrored and rotated 90 degrees clockwise"),
    ROTATE_90(6, "Rotate270", "rotated 90 degrees clockwise"),
    TRANSVERSE(7, "FlipHRotate90", "mirrored and rotated 90 degrees counter-clockwise"),
    ROTATE_270(8, "Rotate90", "rotated 90 degrees counter-clockwise");

    private final int exifValue;
    private final String standardName;
    private final String done;

    ImageOrientation(int exifValue, String standardName, String done) {
        this.exifValue = exifValue;
        this.standardName = standardName;
        this.done = done;
    }

    /** The orientation of image 0 of a reader whose input is set with metadata; NORMAL when none is recorded. */
    public static ImageOrientation of(ImageReader reader) throws IOException {
        IIOMetadata metadata = reader.getImageMetadata(0);
        if (metadata == null || !metadata.isStandardMetadataFormatSupported()) {
            return NORMAL;
        }
        Node root = metadata.getAsTree("javax_imageio_1.0");
        for (Node dimension = root.getFirstChild(); dimension != null; dimension = dimension.getNextSibling()) {
            if (!dimension.getNodeName().equals("Dimension")) {
                continue;
            }
            for (Node n = dimension.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n.getNodeName().equals("ImageOrientation") && n.getAttributes().getNamedItem("value") != null) {
                    return named(n.getAttributes().getNamedItem("value").getNodeValue());
                }
            }
        }
        return NORMAL;
    }

    static ImageOrientation named(String standardName) {
        for (ImageOrientation o : values()) {
            if (o.standardName.equalsIgnoreCase(standardName)) {
                return o;
            }
        }
        return NORMAL;
    }

    /** Whether the upright picture has width and height swapped. */
    public boolean swapsSides() {
        return exifValue >= 5;
    }

    /** The note said with the answer, or null for NORMAL. */
    public String note() {
        return this == NORMAL ? null : "image " + done + " as its EXIF orientation (" + exifValue + ") says, as viewers show it";
    }

    /** The picture turned upright. */
    public BufferedImage apply(BufferedImage image) {
        if (this == NORMAL) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        AffineTransform t = switch (this) {
            case FLIP_H -> new AffineTransform(-1, 0, 0, 1, w, 0);
            case ROTATE_180 -> new AffineTransform(-1, 0, 0, -1, w, h);
            case FLIP_V -> new AffineTransform(1, 0, 0, -1, 0, h);
            case TRANSPOSE -> new AffineTransform(0, 1, 1, 0, 0, 0); // transpose
            case ROTATE_90 -> new AffineTransform(0, 1, -1, 0, h, 0);
            case TRANSVERSE -> new AffineTransform(0, -1, -1, 0, h, w); // transverse
            case ROTATE_270 -> new AffineTransform(0, -1, 1, 0, 0, w);
            default -> throw new IllegalStateException();
        };
        BufferedImage out = new BufferedImage(image.getColorModel(),
                image.getRaster().createCompatibleWritableRaster(swapsSides() ? h : w, swapsSides() ? w : h),
                image.isAlphaPremultiplied(), null);
        // nearest neighbour on whole-pixel turns: every pixel moved, none blended
        return new AffineTransformOp(t, AffineTransformOp.TYPE_NEAREST_NEIGHBOR).filter(image, out);
    }
}
