package io.github.randomgradient.sweep.report;

import io.github.randomgradient.report.ReportWriter;
import io.github.randomgradient.report.doc.Document;
import io.github.randomgradient.report.doc.HtmlRenderer;
import io.github.randomgradient.report.doc.MarkdownRenderer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The sweep report's pages, byte for byte, for the hand-built results of {@link SweepFixtures}: every
 * run normal with the chart, and a slice with a diverged and a collapsed run, notes and a title full of
 * characters to escape, without the chart (no fonts).
 * <p>
 * {@code -Drg.pages.write=DIR} writes the rendered pages to DIR instead of comparing, to review a
 * deliberate change.
 */
public class SweepReportPagesTest {

    private static void check(String name, String actual) throws IOException {
        String out = System.getProperty("rg.pages.write");
        if (out != null) {
            Path file = Path.of(out).resolve(SweepReportPagesTest.class.getSimpleName()).resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, actual);
            return;
        }
        try (InputStream in = Objects.requireNonNull(SweepReportPagesTest.class.getResourceAsStream("pages/" + name), "pages/" + name)) {
            assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), actual, name);
        }
    }

    @ParameterizedTest
    @CsvSource({"plain,true", "slice-special,false"})
    public void pagesAreByteIdenticalToTheRecordedOnes(String name, boolean chart) throws IOException {
        SweepResults r = SweepFixtures.cases().get(name);
        Document page = chart ? SweepReportText.document(r, SweepReport.CURVES_PNG, "<svg id='curves'></svg>", null)
                : SweepReportText.document(r, null, null, ReportWriter.noChartsNote("Error: <no> fonts & \"x\""));
        String variant = name + "/" + (chart ? "charts" : "nocharts");
        check(variant + ".md", MarkdownRenderer.render(page));
        check(variant + ".html", HtmlRenderer.render(page));
    }
}
