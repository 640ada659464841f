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
 * The HTML renderer: its one escaping rule for text and attributes, its blocks, and its two layouts,
 * on whole pages.
 */
public class HtmlRendererTest {

    private static String body(Layout layout, Block... blocks) {
        String page = HtmlRenderer.render(new Document("t", "css", layout, List.of(blocks)));
        String open = "<body>\n";
        String close = layout == Layout.EXPANDED ? "</body>\n</html>\n" : "</body></html>\n";
        return page.substring(page.indexOf(open) + open.length(), page.length() - close.length());
    }

    @Test
    public void oneEscapingRuleForEveryText() {
        assertEquals("a &amp; b &lt;i&gt; &quot;q&quot; &#39;s&#39; | * _ \n x", HtmlRenderer.escape("a & b <i> \"q\" 's' | * _ \n x"));
        assertEquals("&amp;amp;", HtmlRenderer.escape("&amp;"));
    }

    @Test
    public void tableCellsAreEscapedAndKeepPipesAsterisksUnderscoresAndLineBreaks() {
        Table t = Table.of(List.of("a<b", "c&d"), List.of(List.of("x | y", "p *1* q_1"), List.of("two\nlines", "<script>'\"")));
        assertEquals("<table>\n<tr><th>a&lt;b</th><th>c&amp;d</th></tr>\n"
                + "<tr><td>x | y</td><td>p *1* q_1</td></tr>\n"
                + "<tr><td>two\nlines</td><td>&lt;script&gt;&#39;&quot;</td></tr>\n"
                + "</table>\n", body(Layout.EXPANDED, t));
    }

    @Test
    public void strongAndShadedCellsInEachLayout() {
        Table t = new Table(List.of("h"), List.of(List.of(new Cell("a<b", true, "")), List.of(new Cell("+1.0**", false, "rgba(0,140,60,0.45)"))));
        assertEquals("<table><tr><th>h</th></tr>\n<tr><td><b>a&lt;b</b></td></tr>\n"
                + "<tr><td class='num' style='background:rgba(0,140,60,0.45)'>+1.0**</td></tr>\n</table>\n", body(Layout.COMPACT, t));
        assertEquals("<table>\n<tr><th>h</th></tr>\n<tr><td><b>a&lt;b</b></td></tr>\n"
                + "<tr><td class=\"num\" style=\"background:rgba(0,140,60,0.45)\">+1.0**</td></tr>\n</table>\n", body(Layout.EXPANDED, t));
    }

    @Test
    public void headingsParagraphsNotesAndLists() {
        assertEquals("<h1>T &amp; U</h1>\n<h2>S</h2>\n<h3>s</h3>\n<p>p &lt; 1</p>\n<p class=\"note\">n</p>\n"
                        + "<ul>\n<li class=\"answer\">a &amp; b</li>\n<li class=\"answer\">c</li>\n</ul>\n<ul>\n<li>d</li>\n</ul>\n<p>None.</p>\n",
                body(Layout.EXPANDED, new Heading(1, "T & U"), new Heading(2, "S"), new Heading(3, "s"), new Paragraph("p < 1"),
                        new Paragraph("n", true), new BulletList(List.of("a & b", "c"), "None.", "answer"),
                        new BulletList(List.of("d"), "x", ""), new BulletList(List.of(), "None.", "note")));
        assertEquals("<p class='note'>n</p>\n", body(Layout.COMPACT, new Paragraph("n", true)));
    }

    @Test
    public void figuresWithCaptionBareAndLeftOutWithoutSvg() {
        String svg = "<svg role='img' aria-label='curves'><text>a&amp;b</text></svg>";
        assertEquals("<figure>" + svg + "<figcaption>Loss &lt;per&gt; epoch</figcaption></figure>\n" + svg + "\n",
                body(Layout.EXPANDED, new Figure("Loss <per> epoch", "loss.png", svg, true), new Figure("Curves", "c.png", svg, false),
                        new Figure("Markdown only", "m.png", null, true)));
    }

    @Test
    public void anSvgDocumentIsInlinedWithoutNamespacesAndNamed() {
        String jfreesvg = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink='http://www.w3.org/1999/xlink' width=\"720\" "
                + "height=\"400\"><defs/><text>x</text></svg>";
        assertEquals("<svg width=\"720\" height=\"400\" role='img' aria-label='Loss &lt;per&gt; &#39;epoch&#39;'><defs/><text>x</text></svg>",
                HtmlRenderer.inlineSvg(jfreesvg, "Loss <per> 'epoch'"));
        assertThrows(IllegalArgumentException.class, () -> HtmlRenderer.inlineSvg("<?xml version='1.0'?><svg/>", "x"));
    }

    @Test
    public void pageFrameInEachLayout() {
        Document doc = new Document("A <b> \"t\"", "body{x:1}", Layout.EXPANDED, List.of(new Paragraph("p")));
        assertEquals("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>A &lt;b&gt; &quot;t&quot;</title>\n"
                + "<style>\nbody{x:1}\n</style>\n</head>\n<body>\n<p>p</p>\n</body>\n</html>\n", HtmlRenderer.render(doc));
        Document compact = new Document("A <b> \"t\"", "body{x:1}", Layout.COMPACT, List.of(new Paragraph("p")));
        assertEquals("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>A &lt;b&gt; &quot;t&quot;</title>"
                + "<style>body{x:1}</style></head><body>\n<p>p</p>\n</body></html>\n", HtmlRenderer.render(compact));
    }
}
