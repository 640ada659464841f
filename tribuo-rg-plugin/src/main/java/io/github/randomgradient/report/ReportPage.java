package io.github.randomgradient.report;

import io.github.randomgradient.report.ReportData.Verdict;
import io.github.randomgradient.report.doc.Block;
import io.github.randomgradient.report.doc.Block.BulletList;
import io.github.randomgradient.report.doc.Block.Figure;
import io.github.randomgradient.report.doc.Block.Heading;
import io.github.randomgradient.report.doc.Block.Paragraph;
import io.github.randomgradient.report.doc.Document;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The comparison report's page as one {@link Document}, the section order written once for both the
 * Markdown and the HTML file: the answer (one sentence per comparison) and the design of the
 * comparison first, then failed runs, test metrics, per-class metrics, loss scale and learning rate,
 * convergence with the charts, the provenance diff, the runs and the notes.
 */
final class ReportPage {

    /** The figures' captions, in chart order. */
    private static final List<String> CAPTIONS = List.of(
            "Training loss per epoch: mean over seeds, band from min to max",
            "Test accuracy per epoch: mean over seeds, band from min to max",
            "Training loss per mini-batch: centred moving average over " + Statistics.MOVING_AVERAGE_WINDOW
                    + " steps, mean over seeds");

    /** The charts' image files, in chart order. */
    private static final List<String> IMAGES = List.of(ReportWriter.LOSS_PNG, ReportWriter.ACCURACY_PNG, ReportWriter.STEP_LOSS_PNG);

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

    private ReportPage() {}

    /**
     * The page.
     * @param data The report's data.
     * @param svgs The loss, accuracy and per-step loss charts as inline SVG, in that order, for the HTML page;
     *             empty for a Markdown-only document (the Markdown page links the PNG files).
     * @param noCharts Why charts could not be drawn, if they could not: the page then says so in their place.
     * @return The document.
     */
    static Document document(ReportData data, List<String> svgs, Optional<String> noCharts) {
        List<Block> b = new ArrayList<>();
        b.add(new Heading(1, data.title()));
        b.add(new Heading(2, "Answer"));
        b.add(new BulletList(data.verdicts().stream().map(Verdict::sentence).toList(), "No comparison.", "answer"));
        b.add(new Paragraph(data.design()));
        b.add(new Paragraph(ReportTables.intro(data)));
        b.add(new Heading(2, "Failed runs (diverged or collapsed)"));
        b.add(data.failedRuns().isEmpty() ? new Paragraph("None.") : ReportTables.failed(data));
        b.add(new Heading(2, "Test metrics over seeds"));
        b.add(new Paragraph(ReportTables.METRICS_TEXT));
        b.add(ReportTables.metrics(data));
        b.add(new Heading(2, "Per-class metrics"));
        b.add(ReportTables.perClass(data));
        b.add(new Paragraph(ReportTables.PER_CLASS_TEXT));
        b.add(new Heading(2, "Loss scale and learning rate"));
        b.add(new Paragraph(ReportTables.SCALE_TEXT));
        b.add(ReportTables.scale(data));
        b.add(new Heading(2, "Convergence and oscillation"));
        b.add(new Paragraph(ReportTables.OSCILLATION_TEXT));
        b.add(ReportTables.convergence(data));
        if (noCharts.isPresent()) {
            b.add(new Paragraph(ReportWriter.noChartsNote(noCharts.get()), true));
        } else {
            for (int i = 0; i < IMAGES.size(); i++) {
                b.add(new Figure(CAPTIONS.get(i), IMAGES.get(i), i < svgs.size() ? svgs.get(i) : null, true));
            }
        }
        b.add(ReportTables.curve(data));
        b.add(new Heading(2, "Provenance diff"));
        b.add(new Paragraph(ReportTables.DIFF_TEXT));
        b.add(data.provenanceDiff().rows().isEmpty() ? new Paragraph("No configuration value differs between the trainers.")
                : ReportTables.provenance(data));
        b.add(ReportTables.seeds(data));
        b.add(new Paragraph("Training data: " + data.provenanceDiff().trainingDataNote() + "."));
        b.add(new Heading(2, "Runs"));
        b.add(ReportTables.runs(data));
        b.add(new Heading(2, "Notes"));
        b.add(new BulletList(data.notes(), "None.", "note"));
        return new Document(data.title(), CSS, Document.Layout.EXPANDED, b);
    }
}
