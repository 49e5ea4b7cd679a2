package io.rrsis4j.spark;

import io.rrsis4j.data.CocoMasks;
import io.rrsis4j.infer.GeoJsonWriter;
import io.rrsis4j.infer.MaskPrediction;
import io.rrsis4j.io.raster.GeoReferencing;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The job's output table: one row per (image, sentence).
 * <ul>
 *   <li>{@code mask}: COCO RLE (the format of RRSIS-D's annotations), the compressed {@code counts} string of
 *       pycocotools, column-major, of size [height, width];</li>
 *   <li>{@code bbox}: COCO [x, y, width, height] of the target pixels, null when none;</li>
 *   <li>{@code mean_probability}: mean target probability over the mask, null when it is empty;</li>
 *   <li>{@code presence}: a generalized model's probability that the sentence names something in the image (below
 *       the presence threshold the mask is empty); null for a model without a presence head;</li>
 *   <li>{@code geojson}: the mask's polygons, for georeferenced (GeoTIFF) images only: in the image's CRS when an
 *       EPSG code names it, else in WGS 84 longitude and latitude (null when such a CRS cannot be reprojected);</li>
 *   <li>{@code error}: why the row has no mask (unreadable image, empty sentence), else null.</li>
 * </ul>
 */
public final class MaskRows {

    public static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.StringType, false)
            .add("image", DataTypes.StringType, true)
            .add("text", DataTypes.StringType, true)
            .add("mask", DataTypes.StringType, true)
            .add("width", DataTypes.IntegerType, true)
            .add("height", DataTypes.IntegerType, true)
            .add("area", DataTypes.LongType, true)
            .add("bbox", DataTypes.createArrayType(DataTypes.IntegerType, false), true)
            .add("mean_probability", DataTypes.DoubleType, true)
            .add("presence", DataTypes.DoubleType, true)
            .add("geojson", DataTypes.StringType, true)
            .add("error", DataTypes.StringType, true);

    private MaskRows() {}

    static Row of(String id, String image, String text, MaskPrediction p, GeoReferencing geo) {
        double mean = p.meanProbability();
        return RowFactory.create(id, image, text,
                CocoMasks.toCompressedString(CocoMasks.encode(p.mask())),
                p.mask().width(), p.mask().height(), p.area(), p.boundingBox(),
                Double.isNaN(mean) ? null : mean,
                p.presence().judged() ? p.presence().probability() : null,
                geo != null && geo.isGeoreferenced()
                        ? GeoJsonWriter.maskToJson(java.nio.file.Path.of(image), p.mask(), p.probability(), geo) : null,
                null);
    }

    static Row error(String id, String image, String text, String error) {
        return RowFactory.create(id, image, text, null, null, null, null, null, null, null, null, error);
    }
}
