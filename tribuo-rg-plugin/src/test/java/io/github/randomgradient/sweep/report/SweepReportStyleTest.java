package io.github.randomgradient.sweep.report;

import io.github.randomgradient.report.Palette;
import io.github.randomgradient.report.doc.HtmlRenderer;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTML page's presentation: cells never break a word or a number (wide tables scroll), and the difference
 * heatmaps colour by size on the diverging palette while significance is an outline.
 */
public class SweepReportStyleTest {

    @Test
    public void cellsNeverBreakWordsAndWideTablesScroll() {
        String html = HtmlRenderer.render(SweepReportText.document(SweepFixtures.cases().get("plain"), null, null, "no charts"));
        assertFalse(html.contains("overflow-wrap:anywhere"), "cells may break mid-word");
        assertTrue(html.contains("word-break:keep-all"), html.substring(0, 600));
        assertTrue(html.contains("td{white-space:nowrap}"));
        assertTrue(html.contains("table{display:block;max-width:100%;overflow-x:auto}"));
    }

    @Test
    public void significanceIsAnOutlineAndColourIsTheDivergingPalette() {
        SweepResults r = SweepFixtures.cases().get("plain");
        String html = HtmlRenderer.render(SweepReportText.document(r, null, null, "no charts"));
        int marked = 0;
        for (SweepResults.Heatmap h : r.heatmaps()) {
            double max = h.cells().stream().flatMap(java.util.List::stream).mapToDouble(c -> c.comparison().meanDifference())
                    .filter(Double::isFinite).map(Math::abs).max().orElse(0);
            for (java.util.List<SweepResults.Cell> row : h.cells()) {
                for (SweepResults.Cell c : row) {
                    double d = c.comparison().meanDifference();
                    String colour = Palette.diverging(h.metric().higherIsBetter() ? d : -d, max);
                    String style = "background:" + (colour.isEmpty() ? Palette.NEUTRAL : colour)
                            + (c.mark().isEmpty() ? "" : SweepBudgetText.OUTLINE);
                    assertTrue(html.contains("style='" + style + "'"), style);
                    marked += c.mark().isEmpty() ? 0 : 1;
                }
            }
        }
        // Every outlined difference cell is a marked one (the absolute heatmaps outline their chosen cell, one per arm).
        Matcher m = Pattern.compile("box-shadow:inset").matcher(html);
        int outlines = 0;
        while (m.find()) {
            outlines++;
        }
        assertEquals(marked + r.tuned().size(), outlines);
        assertFalse(html.contains("rgba(0,140,60"), "the red/green palette is gone");
    }
}
