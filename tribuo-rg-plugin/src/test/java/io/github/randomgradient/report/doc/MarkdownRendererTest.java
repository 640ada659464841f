package io.github.randomgradient.report.doc;

import io.github.randomgradient.report.doc.Block.BulletList;
import io.github.randomgradient.report.doc.Block.Cell;
import io.github.randomgradient.report.doc.Block.Figure;
import io.github.randomgradient.report.doc.Block.Heading;
import io.github.randomgradient.report.doc.Block.Paragraph;
import io.github.randomgradient.report.doc.Block.Table;
import io.github.randomgradient.report.doc.Document.Layout;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The Markdown renderer: its one escaping rule, its blocks, and its two layouts, on whole documents.
 */
public class MarkdownRendererTest {

    private static String render(Layout layout, Block... blocks) {
        return MarkdownRenderer.render(new Document("t", "css", layout, List.of(blocks)));
    }

    @Test
    public void tableCellsEscapePipesAndAsterisksAndNeverSpanLines() {
        Table t = Table.of(List.of("a|b", "c*d"), List.of(List.of("x | y", "p < 0.01 & q_1 **"), List.of("two\nlines\r\nhere", "_u_")));
        assertEquals("| a\\|b | c\\*d |\n"
                + "|---|---|\n"
                + "| x \\| y | p < 0.01 & q_1 \\*\\* |\n"
                + "| two lines  here | _u_ |\n"
                + "\n", render(Layout.EXPANDED, t));
    }

    @Test
    public void aStrongCellIsBoldAndItsAsterisksStayLiteral() {
        Table t = new Table(List.of("verdict"), List.of(List.of(new Cell("not *shown*", true, "")), List.of(new Cell("+1.07**", false, "red"))));
        assertEquals("| verdict |\n| --- |\n| **not \\*shown\\*** |\n| +1.07\\*\\* |\n", render(Layout.COMPACT, t));
    }

    @Test
    public void textOutsideTablesKeepsItsCharactersButNotItsLineBreaks() {
        assertEquals("# A <b> & | *x* _y_ \"q\" second line\n\n"
                        + "## Section\n\n"
                        + "### Sub\n\n"
                        + "p | q *r* < 1 &amp; s\n\n"
                        + "a note  too\n\n",
                render(Layout.EXPANDED, new Heading(1, "A <b> & | *x* _y_ \"q\"\nsecond line"), new Heading(2, "Section"),
                        new Heading(3, "Sub"), new Paragraph("p | q *r* < 1 &amp; s"), new Paragraph("a note\r\ntoo", true)));
    }

    @Test
    public void aHeadingHasALevelFromOneToThree() {
        assertThrows(IllegalArgumentException.class, () -> new Heading(0, "x"));
        assertThrows(IllegalArgumentException.class, () -> new Heading(4, "x"));
    }

    @Test
    public void listsAndTheirEmptySentence() {
        assertEquals("- one\n- two *2* lines\n\nNone.\n\n",
                render(Layout.EXPANDED, new BulletList(List.of("one", "two *2*\nlines"), "None.", "answer"),
                        new BulletList(List.of(), "None.", "note")));
    }

    @Test
    public void figuresLinkTheirImageAndAreLeftOutWithoutOne() {
        Figure chart = new Figure("Loss per\nepoch", "loss.png", "<svg/>", true);
        Figure htmlOnly = new Figure("Accuracy", null, "<svg/>", false);
        assertEquals("![Loss per epoch](loss.png)\n\n", render(Layout.EXPANDED, chart, htmlOnly));
        // Compact: blocks separated by one blank line, none doubled where a figure is left out, none at the end.
        assertEquals("# T\n\n![Loss per epoch](loss.png)\n\nafter\n",
                render(Layout.COMPACT, new Heading(1, "T"), htmlOnly, chart, htmlOnly, new Paragraph("after")));
    }

    @Test
    public void layoutsDifferInBlankLinesAndTableRulesOnly() {
        Block[] blocks = {new Heading(1, "T"), Table.of(List.of("a", "b"), List.of(List.of("1", "2"))), new Paragraph("end")};
        assertEquals("# T\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nend\n\n", render(Layout.EXPANDED, blocks));
        assertEquals("# T\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n\nend\n", render(Layout.COMPACT, blocks));
    }
}
