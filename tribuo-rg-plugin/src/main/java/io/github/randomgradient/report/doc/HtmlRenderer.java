package io.github.randomgradient.report.doc;

import io.github.randomgradient.report.doc.Block.BulletList;
import io.github.randomgradient.report.doc.Block.Cell;
import io.github.randomgradient.report.doc.Block.Figure;
import io.github.randomgradient.report.doc.Block.Heading;
import io.github.randomgradient.report.doc.Block.Paragraph;
import io.github.randomgradient.report.doc.Block.Table;

import java.util.List;
import java.util.Objects;

/**
 * Writes a {@link Document} as a self-contained HTML5 page: inline style sheet, tables, and charts as
 * inline SVG; it references no URL.
 * <p>
 * One escaping rule ({@link #escape}) for every text and attribute value: {@code &}, {@code <},
 * {@code >}, {@code "} and {@code '} become character references. Line breaks are kept (HTML folds them
 * into spaces). A figure without SVG ({@link Figure#svg()} null) is left out of the HTML page.
 */
public final class HtmlRenderer {

    private HtmlRenderer() {}

    /**
     * The document as an HTML page, laid out by its {@link Document#layout()}.
     * @param document The document.
     * @return The page, ending in {@code </html>\n}.
     * @throws NullPointerException If the document is null.
     */
    public static String render(Document document) {
        Objects.requireNonNull(document, "document");
        boolean expanded = document.layout() == Document.Layout.EXPANDED;
        String nl = expanded ? "\n" : "";
        char q = expanded ? '"' : '\'';
        StringBuilder sb = new StringBuilder("<!DOCTYPE html>\n");
        sb.append("<html lang=").append(q).append("en").append(q).append('>').append(nl)
                .append("<head>").append(nl)
                .append("<meta charset=").append(q).append("utf-8").append(q).append('>').append(nl)
                .append("<title>").append(escape(document.title())).append("</title>").append(nl)
                .append("<style>").append(nl).append(document.stylesheet()).append(nl).append("</style>").append(nl)
                .append("</head>").append(nl)
                .append("<body>\n");
        for (Block block : document.blocks()) {
            block(sb, block, nl, q);
        }
        return sb.append("</body>").append(nl).append("</html>\n").toString();
    }

    private static void block(StringBuilder sb, Block block, String nl, char q) {
        if (block instanceof Heading h) {
            sb.append("<h").append(h.level()).append('>').append(escape(h.text())).append("</h").append(h.level()).append(">\n");
        } else if (block instanceof Paragraph p) {
            sb.append("<p").append(p.note() ? attribute("class", "note", q) : "").append('>').append(escape(p.text())).append("</p>\n");
        } else if (block instanceof BulletList l) {
            if (l.items().isEmpty()) {
                sb.append("<p>").append(escape(l.whenEmpty())).append("</p>\n");
                return;
            }
            sb.append("<ul>\n");
            String attributes = l.itemClass().isEmpty() ? "" : attribute("class", l.itemClass(), q);
            for (String item : l.items()) {
                sb.append("<li").append(attributes).append('>').append(escape(item)).append("</li>\n");
            }
            sb.append("</ul>\n");
        } else if (block instanceof Table t) {
            sb.append("<table>").append(nl).append("<tr>");
            for (String h : t.header()) {
                sb.append("<th>").append(escape(h)).append("</th>");
            }
            sb.append("</tr>\n");
            for (List<Cell> row : t.rows()) {
                sb.append("<tr>");
                for (Cell c : row) {
                    sb.append(c.shade().isEmpty() ? "<td>"
                            : "<td" + attribute("class", "num", q) + attribute("style", "background:" + c.shade(), q) + ">");
                    sb.append(c.strong() ? "<b>" + escape(c.text()) + "</b>" : escape(c.text())).append("</td>");
                }
                sb.append("</tr>\n");
            }
            sb.append("</table>\n");
        } else if (block instanceof Figure f && f.svg() != null) {
            if (f.captioned()) {
                sb.append("<figure>").append(f.svg()).append("<figcaption>").append(escape(f.description()))
                        .append("</figcaption></figure>\n");
            } else {
                sb.append(f.svg()).append('\n');
            }
        }
    }

    /**
     * An SVG document (e.g. JFreeSVG's {@code getSVGElement()}) made ready for a {@link Figure} of an HTML5
     * page: the namespace declarations on its root element are dropped (HTML5 gives inline SVG its
     * namespace, and the page then holds no URL at all), and the root is named as an image for screen
     * readers ({@code role='img' aria-label='label'}).
     * @param svg The SVG document, starting with its {@code <svg} root element.
     * @param label What the image shows (plain text; escaped).
     * @return The inline {@code <svg>} element.
     * @throws IllegalArgumentException If {@code svg} has no root element.
     */
    public static String inlineSvg(String svg, String label) {
        int end = svg.indexOf('>');
        if (!svg.startsWith("<svg") || end < 0) {
            throw new IllegalArgumentException("not an SVG document: it does not start with an <svg> element: "
                    + svg.substring(0, Math.min(40, svg.length())));
        }
        String open = svg.substring(0, end).replaceAll("\\s+xmlns(:\\w+)?=(['\"])[^'\"]*\\2", "");
        return open + " role='img' aria-label='" + escape(label) + "'" + svg.substring(end);
    }

    private static String attribute(String name, String value, char q) {
        return " " + name + "=" + q + escape(value) + q;
    }

    /**
     * HTML's escaping rule, for text and attribute values alike: {@code &}, {@code <}, {@code >},
     * {@code "} and {@code '} become {@code &amp;}, {@code &lt;}, {@code &gt;}, {@code &quot;} and
     * {@code &#39;}.
     * @param s The plain text.
     * @return The escaped text.
     */
    public static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
