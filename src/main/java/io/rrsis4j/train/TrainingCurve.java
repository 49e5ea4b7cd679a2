package io.rrsis4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rrsis4j.data.Images;
import io.rrsis4j.io.files.FileErrors;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws a run's {@code log.jsonl} as a PNG: training loss per step (raw and smoothed) on the left, validation
 * oIoU per epoch on the right, so a user sees at a glance whether the model learned.
 */
public final class TrainingCurve {
    private static final int PANEL_W = 560;
    private static final int PANEL_H = 380;
    private static final int MARGIN = 56;

    private TrainingCurve() {}

    /** A series of (x, y) points read from the log. */
    record Series(List<double[]> points) {
        double minX() { return points.stream().mapToDouble(p -> p[0]).min().orElse(0); }
        double maxX() { return points.stream().mapToDouble(p -> p[0]).max().orElse(1); }
        double minY() { return points.stream().mapToDouble(p -> p[1]).min().orElse(0); }
        double maxY() { return points.stream().mapToDouble(p -> p[1]).max().orElse(1); }
    }

    public static void write(Path logJsonl, Path png) throws IOException {
        FileErrors.requireFile(logJsonl, "training log");
        ObjectMapper json = new ObjectMapper();
        List<double[]> loss = new ArrayList<>();
        List<double[]> oIoU = new ArrayList<>();
        for (String line : Files.readAllLines(logJsonl)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n = json.readTree(line);
            if (n.has("loss") && n.has("step")) {
                loss.add(new double[] {n.get("step").asDouble(), n.get("loss").asDouble()});
            }
            if (n.has("val_oIoU") && n.has("step")) {
                oIoU.add(new double[] {n.get("step").asDouble(), n.get("val_oIoU").asDouble()});
            }
        }
        BufferedImage img = new BufferedImage(2 * PANEL_W, PANEL_H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        Series raw = new Series(loss);
        panel(g, 0, "training loss", "step", raw, List.of(raw, new Series(smooth(loss, 0.9))),
                List.of(new Color(170, 190, 230), new Color(30, 70, 170)), Double.NaN);
        Series val = new Series(oIoU);
        panel(g, PANEL_W, "validation oIoU (%)", "step", val, List.of(val), List.of(new Color(200, 60, 40)), 100);
        g.dispose();
        Images.write(img, "png", png);
    }

    /** Exponential moving average, as training dashboards smooth a noisy loss. */
    static List<double[]> smooth(List<double[]> points, double keep) {
        List<double[]> out = new ArrayList<>();
        double avg = Double.NaN;
        for (double[] p : points) {
            avg = Double.isNaN(avg) ? p[1] : keep * avg + (1 - keep) * p[1];
            out.add(new double[] {p[0], avg});
        }
        return out;
    }

    private static void panel(Graphics2D g, int x0, String title, String xLabel, Series range, List<Series> series,
                              List<Color> colors, double yMaxFixed) {
        int left = x0 + MARGIN;
        int top = 36;
        int w = PANEL_W - MARGIN - 24;
        int h = PANEL_H - top - 48;
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, left, 22);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawRect(left, top, w, h);
        g.drawString(xLabel, left + w / 2 - 10, top + h + 36);
        if (range.points().isEmpty()) {
            g.drawString("no data", left + w / 2 - 20, top + h / 2);
            return;
        }
        double xMin = range.minX();
        double xMax = Math.max(xMin + 1, range.maxX());
        double yMin = Double.isNaN(yMaxFixed) ? Math.min(0, range.minY()) : 0;
        double yMax = Double.isNaN(yMaxFixed) ? Math.max(yMin + 1e-6, range.maxY()) : yMaxFixed;
        for (int t = 0; t <= 4; t++) {
            double v = yMin + (yMax - yMin) * t / 4;
            int y = top + h - (int) Math.round(h * t / 4.0);
            g.setColor(new Color(230, 230, 230));
            g.drawLine(left + 1, y, left + w - 1, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(yMax >= 10 ? "%.0f" : "%.2f", v), x0 + 6, y + 4);
        }
        g.drawString(String.format("%.0f", xMin), left, top + h + 18);
        g.drawString(String.format("%.0f", xMax), left + w - 30, top + h + 18);
        g.setStroke(new BasicStroke(1.8f));
        for (int s = 0; s < series.size(); s++) {
            g.setColor(colors.get(s));
            List<double[]> pts = series.get(s).points();
            for (int i = 0; i < pts.size(); i++) {
                int px = left + (int) Math.round(w * (pts.get(i)[0] - xMin) / (xMax - xMin));
                int py = top + h - (int) Math.round(h * (pts.get(i)[1] - yMin) / (yMax - yMin));
                if (i > 0) {
                    double[] q = pts.get(i - 1);
                    int qx = left + (int) Math.round(w * (q[0] - xMin) / (xMax - xMin));
                    int qy = top + h - (int) Math.round(h * (q[1] - yMin) / (yMax - yMin));
                    g.drawLine(qx, qy, px, py);
                }
                if (pts.size() < 40) {
                    g.fillOval(px - 3, py - 3, 6, 6);
                }
            }
        }
    }
}
