package io.github.randomgradient.report;

import io.github.randomgradient.report.ReportData.Verdict;
import io.github.randomgradient.report.ReportTables.Table;
import io.github.randomgradient.run.RunFiles;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;

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
import java.util.Optional;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Writes a {@link ComparisonReport} into a directory as {@value #MARKDOWN}, {@value #HTML},
 * {@value #JSON}, {@value #LOSS_PNG}, {@value #ACCURACY_PNG} and {@value #STEP_LOSS_PNG}.
 * <p>
 * Both pages open with the answer (one sentence per comparison) and the design of the comparison,
 * then the details. The HTML page is self-contained: inline CSS, tables, and the three charts
 * ({@link ReportCharts}) as inline SVG drawn by JFreeChart through JFreeSVG; it references no URL. The Markdown page links the PNG charts.
 * The JSON file is the report's {@link ReportData} ({@link ComparisonReport#toJson()}).
 * <p>
 * Every file is first rendered to a temporary file in the target directory; only when all six are
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
    /** The chart of the smoothed per-step training loss. */
    public static final String STEP_LOSS_PNG = "step-loss.png";

    private static final Logger logger = Logger.getLogger(ReportWriter.class.getName());

    private ReportWriter() {}

    /**
     * Whether this JVM can draw the report's charts (a headless JVM without fonts cannot). Commands ask
     * before training and warn; {@link #write} then writes the report without charts and says so in it.
     * Setting the system property {@code tribuo.rg.simulateNoFonts=true} simulates a JVM without fonts.
     * @return Empty if charts can be drawn, else why not (one line).
     */
    public static Optional<String> chartsUnavailable() {
        return ReportCharts.unavailable();
    }

    /**
     * The sentence a report without charts carries in place of its figures.
     * @param reason Why the charts could not be drawn.
     * @return The sentence.
     */
    public static String noChartsNote(String reason) {
        return "Charts were not drawn: this JVM cannot draw them (" + reason + "); the tables hold the same values. "
                + "Install fonts (e.g. fontconfig and fonts-dejavu-core) and rebuild the report with tribuo-rg report to get them.";
    }

    /**
     * Writes the report's six files into {@code dir}, creating it if needed and replacing files of
     * an earlier report.
     * @param report The built report.
     * @param dir The output directory.
     * <p>
     * Where this JVM cannot draw charts ({@link #chartsUnavailable()}: no fonts), only the three pages are
     * written, each saying so in place of the figures, charts of an earlier report are deleted, and a
     * warning is logged.
     * @return The paths written: Markdown, HTML, JSON, loss chart, accuracy chart, per-step loss chart (no charts
     *         where they cannot be drawn).
     * @throws UncheckedIOException If a file cannot be rendered or written, or the file system cannot move a file
     *                              atomically; the temporary files are then deleted, and no file is replaced unless
     *                              all six were rendered.
     * @throws NullPointerException If {@code report} or {@code dir} is null.
     */
    public static List<Path> write(ComparisonReport report, Path dir) {
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(dir, "dir");
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        ReportData data = report.data();
        Optional<String> noCharts = chartsUnavailable();
        JFreeChart loss = null;
        JFreeChart accuracy = null;
        JFreeChart steps = null;
        List<String> svgs = List.of();
        if (noCharts.isEmpty()) {
            try {
                loss = ReportCharts.loss(data);
                accuracy = ReportCharts.accuracy(data);
                steps = ReportCharts.stepLoss(data);
                svgs = List.of(ReportCharts.svg(loss, "loss-"), ReportCharts.svg(accuracy, "accuracy-"), ReportCharts.svg(steps, "steps-"));
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Error | RuntimeException e) {
                noCharts = Optional.of(ReportCharts.describe(e));
            }
        }
        if (noCharts.isPresent()) {
            logger.warning("the report in " + dir + " has no charts: they cannot be drawn in this JVM (" + noCharts.get()
                    + "); its tables hold the same curves. Install fonts (e.g. fontconfig and fonts-dejavu-core) to get them");
        }
        String markdown = markdown(data, noCharts);
        String html = html(data, svgs, noCharts);
        String json = report.toJson();

        Map<String, Path> staged = new LinkedHashMap<>();
        try {
            Files.createDirectories(dir);
            stageText(dir, MARKDOWN, markdown, staged);
            stageText(dir, HTML, html, staged);
            stageText(dir, JSON, json, staged);
            if (noCharts.isEmpty()) {
                ChartUtils.saveChartAsPNG(stage(dir, LOSS_PNG, staged).toFile(), loss, ReportCharts.WIDTH, ReportCharts.HEIGHT);
                ChartUtils.saveChartAsPNG(stage(dir, ACCURACY_PNG, staged).toFile(), accuracy, ReportCharts.WIDTH, ReportCharts.HEIGHT);
                ChartUtils.saveChartAsPNG(stage(dir, STEP_LOSS_PNG, staged).toFile(), steps, ReportCharts.WIDTH, ReportCharts.HEIGHT);
            } else {
                // Charts of an earlier report in this directory would show other runs than the pages.
                for (String png : List.of(LOSS_PNG, ACCURACY_PNG, STEP_LOSS_PNG)) {
                    Files.deleteIfExists(dir.resolve(png));
                }
            }
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
    // Markdown.

    /** The figures' captions, in chart order. */
    private static final List<String> CAPTIONS = List.of(
            "Training loss per epoch: mean over seeds, band from min to max",
            "Test accuracy per epoch: mean over seeds, band from min to max",
            "Training loss per mini-batch: centred moving average over " + Statistics.MOVING_AVERAGE_WINDOW
                    + " steps, mean over seeds");

    private static String markdown(ReportData data, Optional<String> noCharts) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(mdText(data.title())).append("\n\n");
        sb.append("## Answer\n\n");
        mdList(sb, data.verdicts().stream().map(Verdict::sentence).toList(), "No comparison.");
        sb.append(mdText(data.design())).append("\n\n").append(ReportTables.intro(data)).append("\n\n");
        sb.append("## Failed runs (diverged or collapsed)\n\n");
        if (data.failedRuns().isEmpty()) {
            sb.append("None.\n\n");
        } else {
            mdTable(sb, ReportTables.failed(data));
        }
        sb.append("## Test metrics over seeds\n\n").append(ReportTables.METRICS_TEXT).append("\n\n");
        mdTable(sb, ReportTables.metrics(data));
        sb.append("## Per-class metrics\n\n");
        mdTable(sb, ReportTables.perClass(data));
        sb.append(ReportTables.PER_CLASS_TEXT).append("\n\n");
        sb.append("## Loss scale and learning rate\n\n").append(ReportTables.SCALE_TEXT).append("\n\n");
        mdTable(sb, ReportTables.scale(data));
        sb.append("## Convergence and oscillation\n\n").append(ReportTables.OSCILLATION_TEXT).append("\n\n");
        mdTable(sb, ReportTables.convergence(data));
        List<String> pngs = List.of(LOSS_PNG, ACCURACY_PNG, STEP_LOSS_PNG);
        if (noCharts.isPresent()) {
            sb.append(mdText(noChartsNote(noCharts.get()))).append("\n\n");
        } else {
            for (int i = 0; i < pngs.size(); i++) {
                sb.append("![").append(CAPTIONS.get(i)).append("](").append(pngs.get(i)).append(")\n\n");
            }
        }
        mdTable(sb, ReportTables.curve(data));
        sb.append("## Provenance diff\n\n").append(ReportTables.DIFF_TEXT).append("\n\n");
        if (data.provenanceDiff().rows().isEmpty()) {
            sb.append("No configuration value differs between the trainers.\n\n");
        } else {
            mdTable(sb, ReportTables.provenance(data));
        }
        mdTable(sb, ReportTables.seeds(data));
        sb.append("Training data: ").append(mdText(data.provenanceDiff().trainingDataNote())).append(".\n\n");
        sb.append("## Runs\n\n");
        mdTable(sb, ReportTables.runs(data));
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
            ".note{color:#8a4b00}",
            ".answer{font-size:1.1em;margin-bottom:0.4em}");

    private static String html(ReportData data, List<String> svgs, Optional<String> noCharts) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(escape(data.title())).append("</title>\n<style>\n").append(CSS).append("\n</style>\n</head>\n<body>\n");
        sb.append("<h1>").append(escape(data.title())).append("</h1>\n");
        sb.append("<h2>Answer</h2>\n");
        htmlList(sb, data.verdicts().stream().map(Verdict::sentence).toList(), "No comparison.", " class=\"answer\"");
        sb.append("<p>").append(escape(data.design())).append("</p>\n<p>").append(escape(ReportTables.intro(data)))
                .append("</p>\n");
        sb.append("<h2>Failed runs (diverged or collapsed)</h2>\n");
        if (data.failedRuns().isEmpty()) {
            sb.append("<p>None.</p>\n");
        } else {
            htmlTable(sb, ReportTables.failed(data));
        }
        sb.append("<h2>Test metrics over seeds</h2>\n<p>").append(escape(ReportTables.METRICS_TEXT)).append("</p>\n");
        htmlTable(sb, ReportTables.metrics(data));
        sb.append("<h2>Per-class metrics</h2>\n");
        htmlTable(sb, ReportTables.perClass(data));
        sb.append("<p>").append(escape(ReportTables.PER_CLASS_TEXT)).append("</p>\n");
        sb.append("<h2>Loss scale and learning rate</h2>\n<p>").append(escape(ReportTables.SCALE_TEXT)).append("</p>\n");
        htmlTable(sb, ReportTables.scale(data));
        sb.append("<h2>Convergence and oscillation</h2>\n<p>").append(escape(ReportTables.OSCILLATION_TEXT)).append("</p>\n");
        htmlTable(sb, ReportTables.convergence(data));
        if (noCharts.isPresent()) {
            sb.append("<p class=\"note\">").append(escape(noChartsNote(noCharts.get()))).append("</p>\n");
        }
        for (int i = 0; i < svgs.size(); i++) {
            sb.append("<figure>").append(svgs.get(i)).append("<figcaption>").append(escape(CAPTIONS.get(i)))
                    .append("</figcaption></figure>\n");
        }
        htmlTable(sb, ReportTables.curve(data));
        sb.append("<h2>Provenance diff</h2>\n<p>").append(escape(ReportTables.DIFF_TEXT)).append("</p>\n");
        if (data.provenanceDiff().rows().isEmpty()) {
            sb.append("<p>No configuration value differs between the trainers.</p>\n");
        } else {
            htmlTable(sb, ReportTables.provenance(data));
        }
        htmlTable(sb, ReportTables.seeds(data));
        sb.append("<p>Training data: ").append(escape(data.provenanceDiff().trainingDataNote())).append(".</p>\n");
        sb.append("<h2>Runs</h2>\n");
        htmlTable(sb, ReportTables.runs(data));
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

    static String escape(String s) {
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
