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
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import io.github.randomgradient.report.stats.ExpectedMaximum;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
    /** Budget curves image file name. */
    public static final String BUDGET_PNG = "budget.png";

    private final SweepResults results;
    private final double targetLine;
    private final String extension;
    private final List<Map<String, Object>> extensionRecord;

    private SweepReport(SweepResults results) {
        this(results, defaultTarget(results), null, List.of());
    }

    /**
     * The target drawn on the curves: the validation target of "faster" (the first slice's, {@link ClaimMeasures.Target})
     * when the verdicts set one, else the sweep's {@code targetAccuracy}.
     */
    private static double defaultTarget(SweepResults results) {
        if (results.claims() != null && !results.claims().targets().isEmpty()) {
            double t = results.claims().targets().get(0).target();
            if (t >= 0 && t <= 1) {
                return t;
            }
        }
        return results.targetAccuracy();
    }

    private SweepReport(SweepResults results, double targetLine, String extension, List<Map<String, Object>> extensionRecord) {
        this.results = results;
        this.targetLine = targetLine;
        this.extension = extension;
        this.extensionRecord = extensionRecord;
    }

    /**
     * The report with another target line on its curves (e.g. a target set from the validation split).
     * @param target The target accuracy drawn on the curves chart, in [0, 1].
     * @return The report.
     * @throws IllegalArgumentException If the target is outside [0, 1].
     */
    public SweepReport withTargetLine(double target) {
        if (!(target >= 0 && target <= 1)) {
            throw new IllegalArgumentException("a target accuracy must be in [0, 1], found " + target);
        }
        return new SweepReport(results, target, extension, extensionRecord);
    }

    /**
     * The report saying what the grid extension ({@code sweep --extend}) did.
     * @param text One paragraph for the page, e.g. which values were added to which axis and whether the optimum is interior.
     * @param record The same for {@value #JSON}: one entry per added value.
     * @return The report.
     */
    public SweepReport withExtension(String text, List<Map<String, Object>> record) {
        return new SweepReport(results, targetLine, text, List.copyOf(record));
    }

    /** @return Each arm's budget curve over the tuning stage ({@link BudgetCurves#of}). */
    public List<BudgetCurves> budgetCurves() {
        return BudgetCurves.of(results);
    }

    /** @return Each tuned arm's grid edges ({@link EdgeFlags#of}). */
    public List<EdgeFlags> edges() {
        return EdgeFlags.of(results);
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

    /**
     * A report of results computed elsewhere (tests, tools).
     * @param results The results.
     * @return The report.
     */
    static SweepReport of(SweepResults results) {
        return new SweepReport(results);
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
            String budgetSvg = null;
            List<BudgetCurves> budget = budgetCurves();
            if (noCharts.isEmpty()) {
                JFreeChart curves = curves();
                svg = svg(curves, "curves");
                savePng(dir, CURVES_PNG, curves);
                if (!budget.isEmpty()) {
                    JFreeChart budgetChart = budgetChart(budget);
                    budgetSvg = svg(budgetChart, "budget");
                    savePng(dir, BUDGET_PNG, budgetChart);
                }
            } else {
                Files.deleteIfExists(dir.resolve(CURVES_PNG));
                Files.deleteIfExists(dir.resolve(BUDGET_PNG));
                java.util.logging.Logger.getLogger(SweepReport.class.getName()).warning("the sweep report in " + dir
                        + " has no chart: it cannot be drawn in this JVM (" + noCharts.get() + ")");
            }
            String chartNote = noCharts.map(ReportWriter::noChartsNote).orElse(null);
            RunFiles files = RunFiles.at(dir);
            // The results' own fields, then the tuning stage's budget curves and grid edges (and the grid extension).
            com.fasterxml.jackson.databind.node.ObjectNode json = RunFiles.JSON.valueToTree(results);
            json.set("budgetCurves", RunFiles.JSON.valueToTree(budget));
            List<EdgeFlags> edges = edges();
            json.set("gridEdges", RunFiles.JSON.valueToTree(edges));
            json.set("gridExtension", RunFiles.JSON.valueToTree(extensionRecord));
            files.writeJson(JSON, json);
            Document page = SweepReportText.document(results, svg == null ? null : CURVES_PNG, svg, chartNote,
                    new SweepReportText.Tuning(edges, extension, budget, budgetSvg == null ? null : BUDGET_PNG, budgetSvg));
            files.writeText(MARKDOWN, MarkdownRenderer.render(page));
            files.writeText(HTML, HtmlRenderer.render(page));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the sweep report to " + dir, e);
        }
    }

    /** Not Files.createTempFile: its owner-only permissions would stay on the published file. */
    private static void savePng(Path dir, String name, JFreeChart chart) throws IOException {
        Path png = RunFiles.partialFile(dir, name);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 720, 400);
        Files.move(png, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Held-out accuracy per epoch (the validation split in a sweep: {@link RunOutcome#heldOutData()}) of every tuned
     * arm's chosen cell (its confirm runs where the sweep has them): the mean over seeds, a band from the seeds'
     * minimum to maximum, and the target line.
     */
    private JFreeChart curves() {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        boolean confirmed = results.confirm() != null && results.confirm().done();
        for (SweepResults.TunedArm t : confirmed ? results.confirm().arms() : results.tuned()) {
            YIntervalSeries s = new YIntervalSeries(t.arm() + " lr=" + SweepReportText.trained(t) + " m=" + t.momentum()
                    + (t.slice().isEmpty() ? "" : " " + t.slice()));
            int epochs = t.runs().stream().mapToInt(r -> r.curve().size()).max().orElse(0);
            for (int e = 0; e < epochs; e++) {
                int epoch = e;
                double[] ys = t.runs().stream().filter(r -> r.curve().size() > epoch).mapToDouble(r -> r.curve().get(epoch))
                        .filter(Double::isFinite).toArray();
                if (ys.length > 0) {
                    s.add(e + 1, Arrays.stream(ys).average().orElseThrow(), Arrays.stream(ys).min().orElseThrow(),
                            Arrays.stream(ys).max().orElseThrow());
                }
            }
            data.addSeries(s);
        }
        String heldOut = results.runs().stream().map(RunOutcome::heldOutData).filter(h -> !h.isEmpty()).findFirst().orElse("held-out");
        JFreeChart chart = ChartFactory.createXYLineChart(Character.toUpperCase(heldOut.charAt(0)) + heldOut.substring(1)
                + " accuracy per epoch, each arm's tuned cell (mean, band min–max over " + (confirmed ? "confirm seeds)" : "seeds)"), "epoch",
                heldOut + " accuracy", data, PlotOrientation.VERTICAL, true, false, false);
        style(chart);
        XYPlot plot = chart.getXYPlot();
        DeviationRenderer renderer = new DeviationRenderer(true, true);
        renderer.setAlpha(0.15f);
        plot.setRenderer(renderer);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            // Okabe–Ito colours (colour-blind safe); the band takes its series' colour.
            renderer.setSeriesPaint(i, OKABE_ITO[i % OKABE_ITO.length]);
            renderer.setSeriesFillPaint(i, OKABE_ITO[i % OKABE_ITO.length]);
        }
        ValueMarker target = new ValueMarker(targetLine, Color.DARK_GRAY, new BasicStroke(1.0f, BasicStroke.CAP_BUTT,
                BasicStroke.JOIN_MITER, 10.0f, new float[]{4.0f, 4.0f}, 0.0f));
        target.setLabel(String.format(Locale.ROOT, "target %.2f", targetLine));
        target.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
        target.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
        plot.addRangeMarker(target);
        // The target is part of the picture: the axis reaches it even when every curve is above (or below) it.
        org.jfree.data.Range bounds = org.jfree.data.general.DatasetUtils.findRangeBounds(data, true);
        if (bounds != null) {
            double lo = Math.min(bounds.getLowerBound(), targetLine);
            double hi = Math.max(bounds.getUpperBound(), targetLine);
            double pad = Math.max((hi - lo) * 0.05, 0.005);
            plot.getRangeAxis().setRange(lo - pad, hi + pad);
        }
        return chart;
    }

    /** Each arm's budget curve: expected best validation accuracy (solid) and test accuracy of that choice (dashed), same colour. */
    private static JFreeChart budgetChart(List<BudgetCurves> budget) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (BudgetCurves c : budget) {
            String name = c.arm() + (c.slice().isEmpty() ? "" : " " + c.slice());
            XYSeries v = new XYSeries(name + " validation");
            XYSeries t = new XYSeries(name + " test");
            for (ExpectedMaximum.Point p : c.points()) {
                v.add(p.budget(), p.expectedBestValidation());
                if (Double.isFinite(p.expectedTestOfChoice())) {
                    t.add(p.budget(), p.expectedTestOfChoice());
                }
            }
            data.addSeries(v);
            data.addSeries(t);
        }
        JFreeChart chart = ChartFactory.createXYLineChart("Expected best validation accuracy (solid) and test accuracy of that choice "
                + "(dashed)", "configurations tried", "accuracy", data, PlotOrientation.VERTICAL, true, false, false);
        style(chart);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesPaint(i, OKABE_ITO[(i / 2) % OKABE_ITO.length]);
            if (i % 2 == 1) {
                renderer.setSeriesStroke(i, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10.0f,
                        new float[]{6.0f, 4.0f}, 0.0f));
            }
        }
        chart.getXYPlot().setRenderer(renderer);
        return chart;
    }

    /** Okabe and Ito's colour-blind-safe qualitative palette (blue, orange, bluish green, reddish purple, sky blue, vermillion, black). */
    private static final Color[] OKABE_ITO = {new Color(0, 114, 178), new Color(230, 159, 0), new Color(0, 158, 115),
            new Color(204, 121, 167), new Color(86, 180, 233), new Color(213, 94, 0), new Color(0, 0, 0)};

    private static void style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        ((NumberAxis) plot.getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
    }

    /** The chart as an inline {@code <svg>} element ({@link HtmlRenderer#inlineSvg}). */
    private static String svg(JFreeChart chart, String id) {
        SVGGraphics2D g = new SVGGraphics2D(720, 400);
        g.setDefsKeyPrefix(id);
        chart.draw(g, new Rectangle2D.Double(0, 0, 720, 400));
        return HtmlRenderer.inlineSvg(g.getSVGElement(), id);
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
