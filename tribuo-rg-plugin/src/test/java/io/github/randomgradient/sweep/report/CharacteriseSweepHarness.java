package io.github.randomgradient.sweep.report;

import io.github.randomgradient.report.ReportWriter;
import io.github.randomgradient.sweep.PlannedRun;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Constructor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Throwaway: writes sweep reports of fixed inputs to -Drg.char=DIR (before/after the document model). */
public class CharacteriseSweepHarness {

    @Test
    public void characterise() throws Exception {
        String out = System.getProperty("rg.char");
        Assumptions.assumeTrue(out != null);
        Path root = Path.of(out).resolve("sweep");
        Constructor<SweepReport> ctor = SweepReport.class.getDeclaredConstructor(SweepResults.class);
        ctor.setAccessible(true);
        Path grid = Path.of(System.getProperty("rg.grid", "../docs/results/paper-grid"));
        SweepResults paper = io.github.randomgradient.run.RunFiles.JSON.readValue(grid.resolve("report.json").toFile(), SweepResults.class);
        if (paper.notes() == null) {
            paper = new SweepResults(paper.title(), paper.targetAccuracy(), paper.epochs(), paper.seeds(), paper.learningRates(),
                    paper.momenta(), paper.runs(), paper.heatmaps(), paper.tuned(), paper.verdicts(), List.of());
        }
        String committedHtml = Files.readString(grid.resolve("report.html"));
        String svg = committedHtml.substring(committedHtml.indexOf("<svg"), committedHtml.indexOf("</svg>") + 6);
        Path pg = root.resolve("paper-grid");
        Files.createDirectories(pg);
        Files.writeString(pg.resolve("report.md"), SweepReportText.markdown(paper, "curves.png", null));
        Files.writeString(pg.resolve("report.html"), SweepReportText.html(paper, svg, null));
        for (Map.Entry<String, SweepResults> e : SweepFixtures.cases().entrySet()) {
            Path c = root.resolve(e.getKey());
            Files.createDirectories(c);
            SweepResults r = e.getValue();
            SweepReport report = ctor.newInstance(r);
            report.write(c.resolve("fonts"));
            System.setProperty("tribuo.rg.simulateNoFonts", "true");
            try {
                report.write(c.resolve("nofonts"));
            } finally {
                System.clearProperty("tribuo.rg.simulateNoFonts");
            }
            Files.writeString(c.resolve("summary.txt"), report.summary());
            String note = ReportWriter.noChartsNote("Error: <no> fonts & \"x\"");
            Files.writeString(c.resolve("page-charts.md"), SweepReportText.markdown(r, "curves.png", null));
            Files.writeString(c.resolve("page-nocharts.md"), SweepReportText.markdown(r, null, note));
            Files.writeString(c.resolve("page-charts.html"), SweepReportText.html(r, "<svg id='curves'></svg>", null));
            Files.writeString(c.resolve("page-nocharts.html"), SweepReportText.html(r, null, note));
        }
    }
}
