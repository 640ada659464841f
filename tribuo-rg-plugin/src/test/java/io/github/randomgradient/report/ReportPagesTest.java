package io.github.randomgradient.report;

import io.github.randomgradient.report.doc.Document;
import io.github.randomgradient.report.doc.HtmlRenderer;
import io.github.randomgradient.report.doc.MarkdownRenderer;
import io.github.randomgradient.run.RunFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The comparison report's pages, byte for byte: each case's {@link ReportData} (report.json of a report
 * built from {@link RunFixtures} runs with fixed timings: the full experiment under a title full of
 * characters to escape, diverged and collapsed runs, Tribuo's Adam without histories, and trainers that
 * differ beyond the loss scale, whose verdict carries a CAUTION) is rendered and compared with the page
 * the report wrote before it shared the document model (charts as placeholder SVG, or the no-fonts note).
 * <p>
 * {@code -Drg.pages.write=DIR} writes the rendered pages to DIR instead of comparing, to review a
 * deliberate change.
 */
public class ReportPagesTest {

    private static final List<String> SVGS = List.of("<svg id='loss'></svg>", "<svg id='accuracy'></svg>", "<svg id='steps'></svg>");
    private static final String NO_FONTS = "Error: <no> fonts & \"x\"";

    static String resource(String name) throws IOException {
        try (InputStream in = Objects.requireNonNull(ReportPagesTest.class.getResourceAsStream(name), name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Compares {@code actual} with the resource {@code pages/<name>}, or writes it under -Drg.pages.write. */
    static void check(Class<?> owner, String name, String actual) throws IOException {
        String out = System.getProperty("rg.pages.write");
        if (out != null) {
            Path file = Path.of(out).resolve(owner.getSimpleName()).resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, actual);
            return;
        }
        try (InputStream in = Objects.requireNonNull(owner.getResourceAsStream("pages/" + name), "pages/" + name)) {
            assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), actual, name);
        }
    }

    @ParameterizedTest
    @CsvSource({"special-title,true", "special-title,false", "failed,true", "caution,true", "adam,false"})
    public void pagesAreByteIdenticalToTheRecordedOnes(String name, boolean charts) throws IOException {
        ReportData data = RunFiles.JSON.readValue(resource("pages/" + name + "/data.json"), ReportData.class);
        Document page = ReportPage.document(data, charts ? SVGS : List.of(), charts ? Optional.empty() : Optional.of(NO_FONTS));
        String variant = name + "/" + (charts ? "charts" : "nocharts");
        check(ReportPagesTest.class, variant + ".md", MarkdownRenderer.render(page));
        check(ReportPagesTest.class, variant + ".html", HtmlRenderer.render(page));
    }
}
