package io.sundial.bench.tsbs;

import io.sundial.bench.tsbs.IngestComparison.Result;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * Draws the rows {@link IngestComparison} appended to its results file as a PNG: three panels
 * (values/s, peak RSS, bytes per value on disk), each with one group of bars per data set and one
 * bar per system. Plain java.awt on a headless BufferedImage, so no chart library is needed.
 *
 * <p>Arguments: {@code results.tsv out.png}.
 */
public final class IngestChart {
    private static final int PANEL_WIDTH = 420;
    private static final int HEIGHT = 420;
    private static final int TOP = 60;
    private static final int BOTTOM = 90;
    private static final Color[] PALETTE = {new Color(0xE0, 0x8A, 0x00), new Color(0x1F, 0x77, 0xB4),
        new Color(0x2C, 0xA0, 0x2C), new Color(0x94, 0x67, 0xBD), new Color(0x8C, 0x56, 0x4B)};

    private IngestChart() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("expected: results.tsv out.png, got " + List.of(args));
        }
        List<Result> results = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                results.add(Result.parse(line));
            }
        }
        if (results.isEmpty()) {
            throw new IllegalArgumentException(args[0] + " holds no result rows");
        }
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = draw(results);
        Path out = Path.of(args[1]);
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        if (!ImageIO.write(image, "png", out.toFile())) {
            throw new IOException("no PNG writer in this JDK's ImageIO");
        }
        System.out.println("chart written to " + out);
    }

    static BufferedImage draw(List<Result> results) {
        Set<String> sets = new LinkedHashSet<>();
        Set<String> systems = new LinkedHashSet<>();
        results.forEach(r -> {
            sets.add(r.set());
            systems.add(r.system());
        });
        BufferedImage image = new BufferedImage(3 * PANEL_WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        panel(g, 0, "ingest, million values/s (higher is better)", results, sets, systems,
                r -> r.valuesPerSecond() / 1e6, "%.2f");
        panel(g, PANEL_WIDTH, "peak RSS, MiB (lower is better)", results, sets, systems,
                r -> r.peakRssBytes() / 1048576.0, "%.0f");
        panel(g, 2 * PANEL_WIDTH, "bytes per value on disk (lower is better)", results, sets, systems,
                IngestComparison.Result::bytesPerValue, "%.2f");
        legend(g, systems);
        g.dispose();
        return image;
    }

    private static void panel(Graphics2D g, int left, String title, List<Result> results, Set<String> sets,
                              Set<String> systems, ToDoubleFunction<Result> measure, String format) {
        double max = results.stream().mapToDouble(measure).max().orElse(1);
        max = max > 0 ? max * 1.15 : 1;
        int plotLeft = left + 30;
        int plotWidth = PANEL_WIDTH - 50;
        int plotBottom = HEIGHT - BOTTOM;
        int plotHeight = plotBottom - TOP;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, left + 20, 30);
        g.setStroke(new BasicStroke(1));
        g.drawLine(plotLeft, plotBottom, plotLeft + plotWidth, plotBottom);
        int groupWidth = plotWidth / sets.size();
        int barWidth = Math.max(8, (groupWidth - 20) / systems.size());
        int setIndex = 0;
        for (String set : sets) {
            int groupLeft = plotLeft + setIndex * groupWidth + 10;
            int systemIndex = 0;
            for (String system : systems) {
                for (Result r : results) {
                    if (r.set().equals(set) && r.system().equals(system)) {
                        double value = measure.applyAsDouble(r);
                        int barHeight = (int) Math.round(value / max * plotHeight);
                        int x = groupLeft + systemIndex * barWidth;
                        g.setColor(PALETTE[systemIndex % PALETTE.length]);
                        g.fillRect(x + 2, plotBottom - barHeight, barWidth - 4, barHeight);
                        g.setColor(Color.BLACK);
                        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
                        g.drawString(String.format(Locale.ROOT, format, value), x + 2, plotBottom - barHeight - 4);
                    }
                }
                systemIndex++;
            }
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            g.drawString("set " + set, groupLeft + (systems.size() * barWidth) / 2 - 18, plotBottom + 18);
            setIndex++;
        }
    }

    private static void legend(Graphics2D g, Set<String> systems) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        int x = 30;
        int y = HEIGHT - 35;
        int index = 0;
        for (String system : systems) {
            g.setColor(PALETTE[index % PALETTE.length]);
            g.fillRect(x, y - 11, 14, 14);
            g.setColor(Color.BLACK);
            g.drawString(system, x + 20, y);
            x += 30 + g.getFontMetrics().stringWidth(system) + 20;
            index++;
        }
    }
}
