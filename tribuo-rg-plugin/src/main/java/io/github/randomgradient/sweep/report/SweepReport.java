package io.github.randomgradient.sweep.report;

import io.github.randomgradient.report.ReportWriter;
import io.github.randomgradient.report.doc.Document;
import io.github.randomgradient.report.doc.HtmlRenderer;
import io.github.randomgradient.report.doc.MarkdownRenderer;
import io.github.randomgradient.run.RunFiles;
import io.github.randomgradient.sweep.SweepPlan;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

import java.awt.Color;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * The sweep report: {@value #MARKDOWN}, a self-contained {@value #HTML} (curves as inline SVG drawn by
 * JFreeChart, heatmaps as coloured tables), {@value #JSON} (every number, every run) and
 * {@value #CURVES_PNG}. Both pages are one document ({@link SweepReportText#document}), rendered by the
 * {@link MarkdownRenderer} and the {@link HtmlRenderer}. Every file is written to a temporary name and moved into place.
 */
public final class SweepReport {

    /** Markdown file name. */
    public static final String MARKDOWN = "report.md";
    /** HTML file name. */
    public static final String HTML = "report.html";
    /** JSON file name. */
    public static final String JSON = "report.json";
    /** Curves image file name. */
    public static final String CURVES_PNG = "curves.png";

    private final SweepResults results;

    private SweepReport(SweepResults results) {
        this.results = results;
    }

    /**
     * Builds the report from a plan's run directories.
     * @param plan The plan.
     * @param output The sweep output directory.
     * @return The report.
     */
    public static SweepReport build(SweepPlan plan, Path output) {
        return new SweepReport(SweepResults.of(plan, output));
    }

    /**
     * Builds the report from a plan's run directories, saying why a declared confirm stage has not run.
     * @param plan The plan, with its confirm stage if it ran.
     * @param output The sweep output directory.
     * @param notConfirmed Why the confirm stage has not run, empty if it ran or the sweep has none.
     * @return The report.
     */
    public static SweepReport build(SweepPlan plan, Path output, String notConfirmed) {
        return new SweepReport(SweepResults.of(plan, output, notConfirmed));
    }

    /** @return The numbers. */
    public SweepResults results() {
        return results;
    }

    /**
     * The verdicts as a plain-text table, for the terminal.
     * @return The summary.
     */
    public String summary() {
        SweepResults.Confirm confirm = results.confirm();
        if (confirm != null && !confirm.done()) {
            return "no verdict: the confirm stage has " + confirm.status() + "\n";
        }
        StringBuilder sb = new StringBuilder(confirm == null ? "" : "verdicts from the confirm stage (" + confirm.seeds().size()
                + " fresh seeds " + confirm.seeds() + "), each arm's cell chosen by the tuning stage\n");
        for (String line : SweepReportText.answer(results)) {
            sb.append("- ").append(line).append('\n');
        }
        return sb.toString();
    }

    /**
     * Writes the report files.
     * @param dir The report directory (created if missing).
     * @throws UncheckedIOException If a file cannot be written.
     */
    public void write(Path dir) {
        try {
            Files.createDirectories(dir);
            // A JVM without fonts cannot draw the chart: the report is written without it and says so.
            java.util.Optional<String> noCharts = ReportWriter.chartsUnavailable();
            String svg = null;
            if (noCharts.isEmpty()) {
                JFreeChart curves = curves();
                svg = svg(curves);
                // Not Files.createTempFile: its owner-only permissions would stay on the published file.
                Path png = RunFiles.partialFile(dir, CURVES_PNG);
                ChartUtils.saveChartAsPNG(png.toFile(), curves, 720, 400);
                Files.move(png, dir.resolve(CURVES_PNG), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.deleteIfExists(dir.resolve(CURVES_PNG));
                java.util.logging.Logger.getLogger(SweepReport.class.getName()).warning("the sweep report in " + dir
                        + " has no chart: it cannot be drawn in this JVM (" + noCharts.get() + ")");
            }
            String chartNote = noCharts.map(ReportWriter::noChartsNote).orElse(null);
            RunFiles files = RunFiles.at(dir);
            files.writeJson(JSON, results);
            Document page = SweepReportText.document(results, svg == null ? null : CURVES_PNG, svg, chartNote);
            files.writeText(MARKDOWN, MarkdownRenderer.render(page));
            files.writeText(HTML, HtmlRenderer.render(page));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the sweep report to " + dir, e);
        }
    }

    /**
     * Held-out accuracy per epoch (the validation split in a sweep: {@link RunOutcome#heldOutData()}), mean over seeds, of every
     * tuned arm's chosen cell (its confirm runs where the sweep has them).
     */
    private JFreeChart curves() {
        XYSeriesCollection data = new XYSeriesCollection();
        boolean confirmed = results.confirm() != null && results.confirm().done();
        for (SweepResults.TunedArm t : confirmed ? results.confirm().arms() : results.tuned()) {
            XYSeries s = new XYSeries(t.arm() + " lr=" + SweepReportText.trained(t) + " m=" + t.momentum() + (t.slice().isEmpty() ? "" : " " + t.slice()));
            int epochs = t.runs().stream().mapToInt(r -> r.curve().size()).max().orElse(0);
            for (int e = 0; e < epochs; e++) {
                int epoch = e;
                double mean = t.runs().stream().filter(r -> r.curve().size() > epoch).mapToDouble(r -> r.curve().get(epoch)).average().orElse(Double.NaN);
                if (Double.isFinite(mean)) {
                    s.add(e + 1, mean);
                }
            }
            data.addSeries(s);
        }
        String heldOut = results.runs().stream().map(RunOutcome::heldOutData).filter(h -> !h.isEmpty()).findFirst().orElse("held-out");
        JFreeChart chart = ChartFactory.createXYLineChart(Character.toUpperCase(heldOut.charAt(0)) + heldOut.substring(1)
                + " accuracy per epoch, each arm's tuned cell (mean over " + (confirmed ? "confirm seeds)" : "seeds)"), "epoch",
                heldOut + " accuracy", data, PlotOrientation.VERTICAL, true, false, false);
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

    /** The chart as an inline {@code <svg>} element ({@link HtmlRenderer#inlineSvg}). */
    private static String svg(JFreeChart chart) {
        SVGGraphics2D g = new SVGGraphics2D(720, 400);
        g.setDefsKeyPrefix("curves");
        chart.draw(g, new Rectangle2D.Double(0, 0, 720, 400));
        return HtmlRenderer.inlineSvg(g.getSVGElement(), "curves");
    }

    static String shortName(Metric m) {
        switch (m) {
            case ACCURACY: return "final test accuracy (pp)";
            case EPOCH1_ACCURACY: return "accuracy after epoch 1 (pp)";
            case EPOCHS_TO_TARGET: return "epochs to target";
            default: return "oscillation";
        }
    }

    /** A difference in the metric's display unit: percentage points for accuracies. */
    static String diff(Metric m, double d) {
        if (Double.isNaN(d)) {
            return "—";
        }
        boolean accuracy = m == Metric.ACCURACY || m == Metric.EPOCH1_ACCURACY;
        return String.format(Locale.ROOT, accuracy ? "%+.2f" : m == Metric.OSCILLATION ? "%+.4f" : "%+.2f", accuracy ? d * 100 : d);
    }

    static String p(double p) {
        return Double.isNaN(p) ? "—" : p < 0.001 ? "<0.001" : String.format(Locale.ROOT, "%.3f", p);
    }
}
