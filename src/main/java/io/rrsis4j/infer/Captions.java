package io.rrsis4j.infer;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/** Text on the pictures the tools draw: a sans-serif font, wrapped to a width, on a plain background. */
final class Captions {
    static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    static final Font BOLD = new Font(Font.SANS_SERIF, Font.BOLD, 13);
    static final Color PAPER = new Color(250, 250, 247);
    static final Color INK = new Color(25, 25, 25);

    private Captions() {}

    static Graphics2D graphics(BufferedImage canvas) {
        Graphics2D g = canvas.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        return g;
    }

    /** Paints CANVAS paper-white with TITLE in bold at (X, BASELINE); returns the graphics to draw the rest with. */
    static Graphics2D titled(BufferedImage canvas, String title, int x, int baseline) {
        Graphics2D g = graphics(canvas);
        g.setColor(PAPER);
        g.fillRect(0, 0, canvas.getWidth(), canvas.getHeight());
        g.setColor(INK);
        g.setFont(BOLD);
        g.drawString(title, x, baseline);
        return g;
    }

    /** The text broken at spaces into lines no wider than WIDTH (a longer word gets a line of its own). */
    static List<String> wrap(String text, FontMetrics metrics, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.strip().split("\\s+")) {
            String candidate = line.isEmpty() ? word : line + " " + word;
            if (!line.isEmpty() && metrics.stringWidth(candidate) > width) {
                lines.add(line.toString());
                line = new StringBuilder(word);
            } else {
                line = new StringBuilder(candidate);
            }
        }
        if (!line.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }

    /** Draws LINES from (x, top) down, one font height apart. */
    static void draw(Graphics2D g, List<String> lines, int x, int top) {
        FontMetrics m = g.getFontMetrics();
        for (int i = 0; i < lines.size(); i++) {
            g.drawString(lines.get(i), x, top + m.getAscent() + i * m.getHeight());
        }
    }

    /** Text in a dark box, readable over any image. */
    static void label(Graphics2D g, String text, int x, int y) {
        FontMetrics m = g.getFontMetrics();
        g.setColor(new Color(0, 0, 0, 170));
        g.fillRect(x, y, m.stringWidth(text) + 6, m.getHeight() + 2);
        g.setColor(Color.WHITE);
        g.drawString(text, x + 3, y + 1 + m.getAscent());
    }

    /** IMAGE scaled to fit in a SIDE x SIDE box, keeping its shape. */
    static BufferedImage fit(BufferedImage image, int side) {
        double s = (double) side / Math.max(image.getWidth(), image.getHeight());
        int w = Math.max(1, (int) Math.round(image.getWidth() * s));
        int h = Math.max(1, (int) Math.round(image.getHeight() * s));
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = graphics(out);
        g.drawImage(image, 0, 0, w, h, null);
        g.dispose();
        return out;
    }
}
