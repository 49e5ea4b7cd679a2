package io.rrsis4j.spark;

import io.rrsis4j.InvalidInputException;
import io.rrsis4j.data.Images;
import io.rrsis4j.data.MaskImages;
import io.rrsis4j.infer.BtdNetSegmenter;
import io.rrsis4j.infer.MaskPrediction;
import io.rrsis4j.infer.Segmenter;
import io.rrsis4j.io.raster.GeoRaster;
import io.rrsis4j.io.raster.GeoReferencing;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import javax.imageio.ImageIO;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * The work of one task of the manifest job: its entries come sorted by manifest position, and the entries of one
 * batch (position / batch) are segmented together in one forward pass, so a clean manifest is batched exactly as
 * {@code segment --list} batches it. A row whose image cannot be read or whose sentence is empty becomes an error
 * row; anything else (the model failing) fails the task, and Spark runs it again. Images are read by the reader of
 * {@code segment --list} ({@link Images#read}), from a temporary local copy when they are on HDFS or S3.
 */
final class SegmentPartition implements FlatMapFunction<Iterator<Tuple2<Long, ManifestEntry>>, Row>, Serializable {

    /** Settings of the manifest job that its tasks need. */
    record Settings(SegmenterSource source, int nativeThreads, int batch, float threshold, String manifestFolder,
                    String pngDir, HadoopFiles files) implements Serializable {}

    private final Settings settings;

    SegmentPartition(Settings settings) {
        this.settings = settings;
    }

    @Override
    public Iterator<Row> call(Iterator<Tuple2<Long, ManifestEntry>> entries) {
        Segmenter segmenter = ExecutorModels.get(settings.source(), settings.nativeThreads());
        return new Iterator<>() {
            private Tuple2<Long, ManifestEntry> next = entries.hasNext() ? entries.next() : null;
            private Iterator<Row> batch = List.<Row>of().iterator();

            @Override
            public boolean hasNext() {
                while (!batch.hasNext() && next != null) {
                    long number = next._1() / settings.batch();
                    List<ManifestEntry> members = new ArrayList<>();
                    while (next != null && next._1() / settings.batch() == number) {
                        members.add(next._2());
                        next = entries.hasNext() ? entries.next() : null;
                    }
                    batch = segment(segmenter, members).iterator();
                }
                return batch.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return batch.next();
            }
        };
    }

    /** Rows of one batch, in manifest order. */
    List<Row> segment(Segmenter segmenter, List<ManifestEntry> entries) {
        Row[] rows = new Row[entries.size()];
        List<Integer> valid = new ArrayList<>();
        List<BufferedImage> images = new ArrayList<>();
        List<String> sentences = new ArrayList<>();
        List<GeoReferencing> geos = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            ManifestEntry e = entries.get(i);
            String path = HadoopFiles.resolve(settings.manifestFolder(), e.image());
            try {
                if (e.image() == null || e.image().isBlank()) {
                    throw new InvalidInputException("the image column is empty");
                }
                BtdNetSegmenter.checkSentence(e.text());
                segmenter.sentenceWarnings(e.text()); // nothing to look for: this row's error, not the task's
                HadoopFiles.LocalFile file = settings.files().local(path);
                try {
                    images.add(Images.read(file.path()));
                    geos.add(georeferencing(file.path()));
                } catch (InvalidInputException problem) {
                    if (!file.copied()) {
                        throw problem;
                    } // the user knows the image by its URI, not by the temporary copy's name
                    throw new InvalidInputException(problem.getMessage().replace(file.path().toString(), path));
                } finally {
                    if (file.copied()) {
                        Files.deleteIfExists(file.path());
                    }
                }
                sentences.add(e.text());
                valid.add(i);
            } catch (InvalidInputException problem) {
                rows[i] = MaskRows.error(e.id(), e.image(), e.text(), problem.getMessage());
            } catch (IOException problem) {
                throw new UncheckedIOException("cannot delete a temporary copy of " + path, problem);
            }
        }
        if (!images.isEmpty()) {
            List<MaskPrediction> predictions = MaskPrediction.predict(segmenter, images, sentences,
                    settings.threshold());
            for (int k = 0; k < valid.size(); k++) {
                ManifestEntry e = entries.get(valid.get(k));
                rows[valid.get(k)] = MaskRows.of(e.id(), e.image(), e.text(), predictions.get(k), geos.get(k));
                if (settings.pngDir() != null) {
                    writePng(e.id(), predictions.get(k));
                }
            }
        }
        return List.of(rows);
    }

    /** The GeoTIFF's georeferencing; none for other images or a TIFF without it. */
    private static GeoReferencing georeferencing(Path image) {
        String name = image.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".tif") && !name.endsWith(".tiff")) {
            return GeoReferencing.none();
        }
        return GeoRaster.open(image).geo(); // read as an image already, so a readable TIFF
    }

    /** PNG named by the row id: a retried task writes the same file again, so none is left twice. */
    private void writePng(String id, MaskPrediction prediction) {
        String name = id.replaceAll("[^A-Za-z0-9._-]", "_") + ".png";
        try (OutputStream out = settings.files().create(settings.pngDir() + "/" + name)) {
            ImageIO.write(MaskImages.toImage(prediction.mask()), "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + settings.pngDir() + "/" + name, e);
        }
    }
}
