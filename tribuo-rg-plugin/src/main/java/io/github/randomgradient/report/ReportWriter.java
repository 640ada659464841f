package io.github.randomgradient.report;

import io.github.randomgradient.history.Divergence;
import io.github.randomgradient.report.ReportData.CurvePoint;
import io.github.randomgradient.report.ReportData.DiffRow;
import io.github.randomgradient.report.ReportData.DivergedRun;
import io.github.randomgradient.report.ReportData.RunRow;
import io.github.randomgradient.report.ReportData.TrainerSummary;
import io.github.randomgradient.report.ReportData.Verdict;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Writes a {@link ComparisonReport} into a directory as {@value #MARKDOWN}, {@value #HTML},
 * {@value #JSON}, {@value #LOSS_PNG} and {@value #ACCURACY_PNG}.
 * <p>
 * The HTML page is self-contained: inline CSS, tables, and the two charts (training loss per
 * epoch and test accuracy per epoch, one series per trainer, mean over seeds) as inline SVG drawn
 * by JFreeChart through JFreeSVG; it references no URL. The Markdown page links the PNG charts.
 * The JSON file is the report's {@link ReportData} ({@link ComparisonReport#toJson()}).
 * <p>
 * Every file is first rendered to a temporary file in the target directory; only when all five are
 * rendered are they moved into place, each atomically, so a failure leaves no partial report file
 * under a real name.
 */
public final class ReportWriter {

    /** The Markdown page. */
    public static final String MARKDOWN = "report.md";
    /** The self-contained HTML page. */
    public static final String HTML = "report.html";
    /** The report data as JSON. */
    public static final String JSON = "report.json";
    /** The chart of training loss per epoch. */
    public static final String LOSS_PNG = "loss.png";
    /** The chart of test accuracy per epoch. */
    public static final String ACCURACY_PNG = "accuracy.png";

    private static final int WIDTH = 720;
    private static final int HEIGHT = 400;

    private ReportWriter() {}

    /**
     * Writes the report's five files into {@code dir}, creating it if needed and replacing files of
     * an earlier report.
     * @param report The built report.
     * @param dir The output directory.
     * @return The paths written: Markdown, HTML, JSON, loss chart, accuracy chart.
     * @throws UncheckedIOException If a file cannot be rendered or written, or the file system cannot move a file
     *                              atomically; the temporary files are then deleted, and no file is replaced unless
     *                              all five were rendered.
     * @throws NullPointerException If {@code report} or {@code dir} is null.
     */
    public static List<Path> write(ComparisonReport report, Path dir) {
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(dir, "dir");
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        ReportData data = report.data();
        JFreeChart loss = lossChart(data);
        JFreeChart accuracy = accuracyChart(data);
        String markdown = markdown(data);
        String html = html(data, svg(loss, "loss-"), svg(accuracy, "accuracy-"));
        String json = report.toJson();

        Map<String, Path> staged = new LinkedHashMap<>();
        try {
            Files.createDirectories(dir);
            stageText(dir, MARKDOWN, markdown, staged);
            stageText(dir, HTML, html, staged);
            stageText(dir, JSON, json, staged);
            ChartUtils.saveChartAsPNG(stage(dir, LOSS_PNG, staged).toFile(), loss, WIDTH, HEIGHT);
            ChartUtils.saveChartAsPNG(stage(dir, ACCURACY_PNG, staged).toFile(), accuracy, WIDTH, HEIGHT);
            List<Path> written = new ArrayList<>();
            for (Map.Entry<String, Path> e : staged.entrySet()) {
                Path target = dir.resolve(e.getKey());
                Files.move(e.getValue(), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                written.add(target);
            }
            return List.copyOf(written);
        } catch (IOException e) {
            for (Path tmp : staged.values()) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new UncheckedIOException("could not write the report '" + data.title() + "' into " + dir + ": " + e, e);
        }
    }

    private static Path stage(Path dir, String name, Map<String, Path> staged) throws IOException {
        Path tmp = RunFiles.partialFile(dir, name);
        staged.put(name, tmp);
        return tmp;
    }

    private static void stageText(Path dir, String name, String text, Map<String, Path> staged) throws IOException {
        Files.writeString(stage(dir, name, staged), text, StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------------------------------------
    // Charts.

    private static JFreeChart lossChart(ReportData data) {
        return chart(data, "Training loss per epoch (unscaled, mean over seeds)", "mean training loss",
                CurvePoint::meanTrainingLoss);
    }

    private static JFreeChart accuracyChart(ReportData data) {
        JFreeChart chart = chart(data, "Test accuracy per epoch (mean over seeds)", "test accuracy",
                CurvePoint::meanTestAccuracy);
        ValueMarker target = new ValueMarker(data.targetAccuracy(), Color.GRAY, new BasicStroke(1.0f,
                BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10.0f, new float[]{4.0f, 4.0f}, 0.0f));
        target.setLabel("target " + ReportFormat.num(data.targetAccuracy()));
        target.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
        target.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
        chart.getXYPlot().addRangeMarker(target);
        return chart;
    }

    private static JFreeChart chart(ReportData data, String title, String yLabel, ToDoubleFunction<CurvePoint> y) {
        XYSeriesCollection dataset = new XYSeriesCollection();
        for (TrainerSummary t : data.trainers()) {
            XYSeries series = new XYSeries(t.trainer());
            for (CurvePoint p : t.curve()) {
                double v = y.applyAsDouble(p);
                if (Double.isFinite(v)) {
                    series.add(p.epoch(), v);
                }
            }
            dataset.addSeries(series);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, "epoch", yLabel, dataset, PlotOrientation.VERTICAL,
                true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setRenderer(new XYLineAndShapeRenderer(true, true));
        ((NumberAxis) plot.getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        return chart;
    }

    /**
     * The chart as an inline {@code <svg>} element. The namespace declarations JFreeSVG adds are
     * dropped: HTML5 gives inline SVG its namespace, and the page then holds no URL at all.
     */
    private static String svg(JFreeChart chart, String idPrefix) {
        SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
        g.setDefsKeyPrefix(idPrefix);
        chart.draw(g, new Rectangle2D.Double(0, 0, WIDTH, HEIGHT));
        String svg = g.getSVGElement();
        int end = svg.indexOf('>');
        String open = svg.substring(0, end).replaceAll("\\s+xmlns(:\\w+)?=(['\"])[^'\"]*\\2", "");
        return open + " role='img' aria-label='" + escape(chart.getTitle().getText()) + "'" + svg.substring(end);
    }

    // ---------------------------------------------------------------------------------------------
    // Tables shared by the Markdown and HTML pages.

    private record Table(List<String> header, List<List<String>> rows) {}

    private static Table provenanceTable(ReportData data) {
        List<String> header = new ArrayList<>();
        header.add("provenance key");
        header.addAll(data.provenanceDiff().trainers());
        List<List<String>> rows = new ArrayList<>();
        for (DiffRow row : data.provenanceDiff().rows()) {
            List<String> cells = new ArrayList<>();
            cells.add(row.key());
            for (String trainer : data.provenanceDiff().trainers()) {
                String value = row.values().getOrDefault(trainer, ReportData.MISSING);
                // Class names are shown without their package (report.json keeps them whole).
                cells.add(row.key().endsWith("class-name") ? value.substring(value.lastIndexOf('.') + 1) : value);
            }
            rows.add(cells);
        }
        return new Table(header, rows);
    }

    private static Table seedsTable(ReportData data) {
        List<List<String>> rows = new ArrayList<>();
        for (TrainerSummary t : data.trainers()) {
            rows.add(List.of(t.trainer(), t.seeds().stream().map(String::valueOf).collect(Collectors.joining(", "))));
        }
        return new Table(List.of("trainer", "seeds"), rows);
    }

    private static Table scaleTable(ReportData data) {
        List<List<String>> rows = new ArrayList<>();
        for (TrainerSummary t : data.trainers()) {
            rows.add(List.of(t.trainer(), t.lossScale(), ReportFormat.num(t.lossScaleMean()),
                    "[" + ReportFormat.num(t.lossScaleMin()) + ", " + ReportFormat.num(t.lossScaleMax()) + "]",
                    ReportFormat.num(t.learningRate()), ReportFormat.num(t.effectiveLearningRate()), t.momentum(),
                    t.optimiser()));
        }
        return new Table(List.of("trainer", "loss scale", "E[u]", "range", "learning rate",
                "effective learning rate (lr × E[u])", "momentum", "optimiser"), rows);
    }

    private static Table metricsTable(ReportData data) {
        List<List<String>> rows = new ArrayList<>();
        for (TrainerSummary t : data.trainers()) {
            rows.add(List.of(t.trainer(), Integer.toString(t.seeds().size()), ReportFormat.summary(t.accuracy(), 4),
                    ReportFormat.summary(t.macroF1(), 4), ReportFormat.summary(t.finalTrainingLoss(), 4),
                    ReportFormat.summary(t.trainSeconds(), 2)));
        }
        return new Table(List.of("trainer", "seeds", "test accuracy", "test macro-F1", "final training loss",
                "training seconds"), rows);
    }

    private static Table convergenceTable(ReportData data) {
        List<List<String>> rows = new ArrayList<>();
        for (TrainerSummary t : data.trainers()) {
            String perSeed = t.convergence().perSeed().stream()
                    .map(s -> "seed " + s.seed() + ": " + (s.epochsToTarget() == null ? "never" : s.epochsToTarget()))
                    .collect(Collectors.joining(", "));
            rows.add(List.of(t.trainer(), t.convergence().seedsReached() + " of " + t.convergence().seeds(),
                    ReportFormat.summary(t.convergence().epochsToTarget(), 2), perSeed,
                    ReportFormat.summary(t.convergence().oscillation(), 4)));
        }
        return new Table(List.of("trainer", "seeds reaching target", "epochs to target (seeds that reached it)",
                "epochs to target per seed", "oscillation (mean |Δ loss| between mini-batches)"), rows);
    }

    private static Table curveTable(ReportData data) {
        List<List<String>> rows = new ArrayList<>();
        for (TrainerSummary t : data.trainers()) {
            for (CurvePoint p : t.curve()) {
                rows.add(List.of(t.trainer(), Integer.toString(p.epoch()), Integer.toString(p.seeds()),
                        ReportFormat.fixed(p.meanTrainingLoss(), 4), ReportFormat.fixed(p.meanTestAccuracy(), 4)));
            }
        }
        return new Table(List.of("trainer", "epoch", "seeds", "mean training loss", "mean test accuracy"), rows);
    }

    private static Table runsTable(ReportData data) {
        List<List<String>> rows = new ArrayList<>();
        for (RunRow r : data.runs()) {
            rows.add(List.of(r.trainer(), Long.toString(r.seed()), r.status(), ReportFormat.fixed(r.accuracy(), 4),
                    ReportFormat.fixed(r.macroF1(), 4), ReportFormat.fixed(r.finalTrainingLoss(), 4),
                    ReportFormat.fixed(r.trainSeconds(), 2)));
        }
        return new Table(List.of("trainer", "seed", "status", "test accuracy", "test macro-F1", "final training loss",
                "training seconds"), rows);
    }

    private static Table divergedTable(ReportData data) {
        List<List<String>> rows = new ArrayList<>();
        for (DivergedRun r : data.divergedRuns()) {
            Divergence d = r.divergence();
            String none = ReportData.MISSING;
            rows.add(d == null
                    ? List.of(r.trainer(), Long.toString(r.seed()), r.status(), none, none, none, none, none, r.description())
                    : List.of(r.trainer(), Long.toString(r.seed()), r.status(), Integer.toString(d.epoch()),
                    Long.toString(d.step()), ReportFormat.num(d.loss()), ReportFormat.num(d.learningRate()),
                    ReportFormat.num(d.lossScale()), r.description()));
        }
        return new Table(List.of("trainer", "seed", "status", "epoch", "step", "loss", "learning rate", "loss scale",
                "divergence"), rows);
    }

    private static String intro(ReportData data) {
        return data.runs().size() + " runs of " + data.trainers().size() + " trainers. Summaries over seeds are "
                + "mean ± sample standard deviation [95% Student-t interval]. Target test accuracy for convergence: "
                + ReportFormat.num(data.targetAccuracy()) + ".";
    }

    private static final String DIFF_TEXT = "Trainer-provenance values that differ between trainers (first run of each; "
            + "seeds, time stamps and invocation counts left out; " + ReportData.MISSING + " = not recorded by that trainer).";

    private static final String SCALE_TEXT = "Random Gradient multiplies each mini-batch loss by u drawn from the loss "
            + "scale, so its mean step is that of learning rate × E[u]; compare RG with a baseline at that effective "
            + "learning rate.";

    // ---------------------------------------------------------------------------------------------
    // Markdown.

    private static String markdown(ReportData data) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(mdText(data.title())).append("\n\n").append(intro(data)).append("\n\n");
        sb.append("## Provenance diff\n\n").append(DIFF_TEXT).append("\n\n");
        if (data.provenanceDiff().rows().isEmpty()) {
            sb.append("No configuration value differs between the trainers.\n\n");
        } else {
            mdTable(sb, provenanceTable(data));
        }
        mdTable(sb, seedsTable(data));
        sb.append("Training data: ").append(mdText(data.provenanceDiff().trainingDataNote())).append(".\n\n");
        sb.append("## Loss scale and learning rate\n\n").append(SCALE_TEXT).append("\n\n");
        mdTable(sb, scaleTable(data));
        sb.append("## Test metrics over seeds\n\n");
        mdTable(sb, metricsTable(data));
        sb.append("## Convergence\n\n");
        mdTable(sb, convergenceTable(data));
        sb.append("![Training loss per epoch](").append(LOSS_PNG).append(")\n\n");
        sb.append("![Test accuracy per epoch](").append(ACCURACY_PNG).append(")\n\n");
        mdTable(sb, curveTable(data));
        sb.append("## Runs\n\n");
        mdTable(sb, runsTable(data));
        sb.append("## Diverged runs\n\n");
        if (data.divergedRuns().isEmpty()) {
            sb.append("None.\n\n");
        } else {
            mdTable(sb, divergedTable(data));
        }
        sb.append("## Verdicts on test accuracy\n\n");
        mdList(sb, data.verdicts().stream().map(Verdict::sentence).toList(), "No comparison.");
        sb.append("## Notes\n\n");
        mdList(sb, data.notes(), "None.");
        return sb.toString();
    }

    private static void mdTable(StringBuilder sb, Table table) {
        sb.append(mdRow(table.header()));
        sb.append("|").append("---|".repeat(table.header().size())).append('\n');
        for (List<String> row : table.rows()) {
            sb.append(mdRow(row));
        }
        sb.append('\n');
    }

    private static String mdRow(List<String> cells) {
        return "| " + cells.stream().map(c -> mdText(c).replace("|", "\\|")).collect(Collectors.joining(" | ")) + " |\n";
    }

    private static void mdList(StringBuilder sb, List<String> items, String none) {
        if (items.isEmpty()) {
            sb.append(none).append("\n\n");
            return;
        }
        for (String item : items) {
            sb.append("- ").append(mdText(item)).append('\n');
        }
        sb.append('\n');
    }

    private static String mdText(String s) {
        return s.replace('\n', ' ').replace('\r', ' ');
    }

    // ---------------------------------------------------------------------------------------------
    // HTML.

    private static final String CSS = String.join("\n",
            "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em auto;max-width:80em;padding:0 1em;color:#222}",
            "table{border-collapse:collapse;margin:0.5em 0 1.5em;font-size:0.9em}",
            "th,td{border:1px solid #ccc;padding:0.3em 0.6em;text-align:left;vertical-align:top}",
            "td{overflow-wrap:anywhere}",
            "th{background:#f0f0f0}",
            "tr:nth-child(even) td{background:#fafafa}",
            "figure{display:inline-block;margin:0 1em 1em 0}",
            "figcaption{font-size:0.85em;color:#555}",
            ".note{color:#8a4b00}");

    private static String html(ReportData data, String lossSvg, String accuracySvg) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(escape(data.title())).append("</title>\n<style>\n").append(CSS).append("\n</style>\n</head>\n<body>\n");
        sb.append("<h1>").append(escape(data.title())).append("</h1>\n<p>").append(escape(intro(data))).append("</p>\n");
        sb.append("<h2>Provenance diff</h2>\n<p>").append(escape(DIFF_TEXT)).append("</p>\n");
        if (data.provenanceDiff().rows().isEmpty()) {
            sb.append("<p>No configuration value differs between the trainers.</p>\n");
        } else {
            htmlTable(sb, provenanceTable(data));
        }
        htmlTable(sb, seedsTable(data));
        sb.append("<p>Training data: ").append(escape(data.provenanceDiff().trainingDataNote())).append(".</p>\n");
        sb.append("<h2>Loss scale and learning rate</h2>\n<p>").append(escape(SCALE_TEXT)).append("</p>\n");
        htmlTable(sb, scaleTable(data));
        sb.append("<h2>Test metrics over seeds</h2>\n");
        htmlTable(sb, metricsTable(data));
        sb.append("<h2>Convergence</h2>\n");
        htmlTable(sb, convergenceTable(data));
        sb.append("<figure>").append(lossSvg).append("<figcaption>Training loss per epoch, mean over seeds</figcaption></figure>\n");
        sb.append("<figure>").append(accuracySvg).append("<figcaption>Test accuracy per epoch, mean over seeds</figcaption></figure>\n");
        htmlTable(sb, curveTable(data));
        sb.append("<h2>Runs</h2>\n");
        htmlTable(sb, runsTable(data));
        sb.append("<h2>Diverged runs</h2>\n");
        if (data.divergedRuns().isEmpty()) {
            sb.append("<p>None.</p>\n");
        } else {
            htmlTable(sb, divergedTable(data));
        }
        sb.append("<h2>Verdicts on test accuracy</h2>\n");
        htmlList(sb, data.verdicts().stream().map(Verdict::sentence).toList(), "No comparison.", "");
        sb.append("<h2>Notes</h2>\n");
        htmlList(sb, data.notes(), "None.", " class=\"note\"");
        sb.append("</body>\n</html>\n");
        return sb.toString();
    }

    private static void htmlTable(StringBuilder sb, Table table) {
        sb.append("<table>\n<tr>");
        for (String h : table.header()) {
            sb.append("<th>").append(escape(h)).append("</th>");
        }
        sb.append("</tr>\n");
        for (List<String> row : table.rows()) {
            sb.append("<tr>");
            for (String cell : row) {
                sb.append("<td>").append(escape(cell)).append("</td>");
            }
            sb.append("</tr>\n");
        }
        sb.append("</table>\n");
    }

    private static void htmlList(StringBuilder sb, List<String> items, String none, String itemAttributes) {
        if (items.isEmpty()) {
            sb.append("<p>").append(escape(none)).append("</p>\n");
            return;
        }
        sb.append("<ul>\n");
        for (String item : items) {
            sb.append("<li").append(itemAttributes).append('>').append(escape(item)).append("</li>\n");
        }
        sb.append("</ul>\n");
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
