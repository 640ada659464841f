package io.github.randomgradient.report;

import io.github.randomgradient.report.doc.Document;
import io.github.randomgradient.report.doc.HtmlRenderer;
import io.github.randomgradient.report.doc.MarkdownRenderer;
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

/**
 * Writes a {@link ComparisonReport} into a directory as {@value #MARKDOWN}, {@value #HTML},
 * {@value #JSON}, {@value #LOSS_PNG}, {@value #ACCURACY_PNG} and {@value #STEP_LOSS_PNG}.
 * <p>
 * Both pages are one document ({@link ReportPage}), rendered by the {@link MarkdownRenderer} and the
 * {@link HtmlRenderer}: they open with the answer (one sentence per comparison) and the design of the
 * comparison, then the details. The HTML page is self-contained: inline CSS, tables, and the three charts
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
        Document page = ReportPage.document(data, svgs, noCharts);
        String markdown = MarkdownRenderer.render(page);
        String html = HtmlRenderer.render(page);
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
}
