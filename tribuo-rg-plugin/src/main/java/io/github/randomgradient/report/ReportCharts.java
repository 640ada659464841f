package io.github.randomgradient.report;

import io.github.randomgradient.report.ReportData.CurvePoint;
import io.github.randomgradient.report.ReportData.StepPoint;
import io.github.randomgradient.report.ReportData.TrainerSummary;
import io.github.randomgradient.report.doc.HtmlRenderer;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Rectangle2D;
import java.util.function.ToDoubleFunction;

/**
 * The charts of a comparison report, drawn by JFreeChart from healthy runs only (diverged and
 * collapsed runs are left out, so they cannot stretch an axis): training loss and test accuracy per
 * epoch (mean over seeds, with a min–max band), and the smoothed per-step training loss.
 */
final class ReportCharts {

    /** Chart width in pixels. */
    static final int WIDTH = 720;
    /** Chart height in pixels. */
    static final int HEIGHT = 400;

    /**
     * System property that makes {@link #unavailable()} fail as a JVM without fonts does ({@code true}):
     * the way to see, and to test, the report without charts on a machine that has fonts.
     */
    static final String SIMULATE_NO_FONTS = "tribuo.rg.simulateNoFonts";

    /** The probe's result once it passed (fonts do not come and go during a run); null until then. */
    private static volatile Boolean drawable;

    private ReportCharts() {}

    /**
     * Whether charts can be drawn in this JVM, found by drawing a small chart with text to an image and
     * to SVG, as the report does. A headless JVM without fonts (a minimal container) fails only when text
     * is first laid out, with an {@link Error} ("Probable fatal error: No fonts found"), a
     * {@link LinkageError} (libfontmanager, libfreetype) or a {@link RuntimeException} from the font
     * configuration; so commands call this before training and write a report without charts instead
     * of losing the report after the training.
     * @return Empty if charts can be drawn, else why not (one line).
     */
    static java.util.Optional<String> unavailable() {
        boolean simulate = Boolean.getBoolean(SIMULATE_NO_FONTS);
        if (!simulate && Boolean.TRUE.equals(drawable)) {
            return java.util.Optional.empty();
        }
        try {
            if (simulate) {
                throw new Error("Probable fatal error: No fonts found (simulated by -D" + SIMULATE_NO_FONTS + "=true)");
            }
            XYSeriesCollection data = new XYSeriesCollection();
            XYSeries s = new XYSeries("probe");
            s.add(0, 0);
            s.add(1, 1);
            data.addSeries(s);
            JFreeChart chart = ChartFactory.createXYLineChart("probe", "x", "y", data, PlotOrientation.VERTICAL, true, false, false);
            java.awt.image.BufferedImage image = chart.createBufferedImage(160, 120);
            image.flush();
            svg(chart, "probe-");
            drawable = true;
            return java.util.Optional.empty();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Error | RuntimeException e) {
            return java.util.Optional.of(describe(e));
        }
    }

    /** One line naming a chart failure and its cause. */
    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(e.getClass().getSimpleName() + ": " + e.getMessage());
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            sb.append("; caused by ").append(c.getClass().getSimpleName()).append(": ").append(c.getMessage());
        }
        return sb.toString().replace('\n', ' ').replace('\r', ' ');
    }

    /** Training loss per epoch: mean over seeds, band from min to max. */
    static JFreeChart loss(ReportData data) {
        return banded(ChartFactory.createXYLineChart("Training loss per epoch (unscaled; mean, band min–max over seeds)",
                "epoch", "mean training loss", bands(data, CurvePoint::meanTrainingLoss, CurvePoint::minTrainingLoss,
                        CurvePoint::maxTrainingLoss), PlotOrientation.VERTICAL, true, false, false));
    }

    /** Test accuracy per epoch: mean over seeds, band from min to max, and the target. */
    static JFreeChart accuracy(ReportData data) {
        JFreeChart chart = banded(ChartFactory.createXYLineChart("Test accuracy per epoch (mean, band min–max over seeds)",
                "epoch", "test accuracy", bands(data, CurvePoint::meanTestAccuracy, CurvePoint::minTestAccuracy,
                        CurvePoint::maxTestAccuracy), PlotOrientation.VERTICAL, true, false, false));
        ValueMarker target = new ValueMarker(data.targetAccuracy(), Color.GRAY, new BasicStroke(1.0f,
                BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10.0f, new float[]{4.0f, 4.0f}, 0.0f));
        target.setLabel("target " + ReportFormat.num(data.targetAccuracy()));
        target.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
        target.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
        chart.getXYPlot().addRangeMarker(target);
        return chart;
    }

    /** The per-step training loss, smoothed by a centred moving average, mean over seeds. */
    static JFreeChart stepLoss(ReportData data) {
        XYSeriesCollection dataset = new XYSeriesCollection();
        for (TrainerSummary t : data.trainers()) {
            XYSeries series = new XYSeries(t.trainer());
            for (StepPoint p : t.stepCurve()) {
                series.add(p.step(), p.loss());
            }
            dataset.addSeries(series);
        }
        JFreeChart chart = ChartFactory.createXYLineChart("Training loss per mini-batch (moving average over "
                        + Statistics.MOVING_AVERAGE_WINDOW + " steps, mean over seeds)", "step (mini-batch)",
                "unscaled training loss", dataset, PlotOrientation.VERTICAL, true, false, false);
        style(chart);
        chart.getXYPlot().setRenderer(new XYLineAndShapeRenderer(true, false));
        return chart;
    }

    /** One series per trainer: per epoch the mean, and the min and max as its band; non-finite means skipped. */
    private static YIntervalSeriesCollection bands(ReportData data, ToDoubleFunction<CurvePoint> mean,
                                                   ToDoubleFunction<CurvePoint> min, ToDoubleFunction<CurvePoint> max) {
        YIntervalSeriesCollection dataset = new YIntervalSeriesCollection();
        for (TrainerSummary t : data.trainers()) {
            YIntervalSeries series = new YIntervalSeries(t.trainer());
            for (CurvePoint p : t.curve()) {
                if (Double.isFinite(mean.applyAsDouble(p))) {
                    series.add(p.epoch(), mean.applyAsDouble(p), min.applyAsDouble(p), max.applyAsDouble(p));
                }
            }
            dataset.addSeries(series);
        }
        return dataset;
    }

    private static JFreeChart banded(JFreeChart chart) {
        style(chart);
        DeviationRenderer renderer = new DeviationRenderer(true, true);
        renderer.setAlpha(0.15f);
        chart.getXYPlot().setRenderer(renderer);
        // The band takes its series' colour (the renderer's default fill is white, which hides it).
        for (int i = 0; i < chart.getXYPlot().getDataset().getSeriesCount(); i++) {
            renderer.setSeriesFillPaint(i, renderer.lookupSeriesPaint(i));
        }
        ((NumberAxis) chart.getXYPlot().getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        return chart;
    }

    private static void style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
    }

    /** The chart as an inline {@code <svg>} element named by its title ({@link HtmlRenderer#inlineSvg}). */
    static String svg(JFreeChart chart, String idPrefix) {
        SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
        g.setDefsKeyPrefix(idPrefix);
        chart.draw(g, new Rectangle2D.Double(0, 0, WIDTH, HEIGHT));
        return HtmlRenderer.inlineSvg(g.getSVGElement(), chart.getTitle().getText());
    }
}
