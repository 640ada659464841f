package io.github.randomgradient.report.doc;

import io.github.randomgradient.report.doc.Block.BulletList;
import io.github.randomgradient.report.doc.Block.Cell;
import io.github.randomgradient.report.doc.Block.Figure;
import io.github.randomgradient.report.doc.Block.Heading;
import io.github.randomgradient.report.doc.Block.Paragraph;
import io.github.randomgradient.report.doc.Block.Table;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Writes a {@link Document} as Markdown (CommonMark with GitHub's tables).
 * <p>
 * One escaping rule ({@link #text}, {@link #cell}): a text never spans lines (each carriage return or
 * line feed becomes a space, so no text can end its block or start another), and in a table cell
 * {@code |} and {@code *} are escaped (so a cell cannot split its row, and a significance mark such as
 * {@code **} stays literal; a cell is set in bold by {@link Cell#strong()}, never by asterisks in its
 * text). Other characters are written as they are: {@code <} and {@code &} as text (e.g. {@code <0.001}),
 * and {@code _}, which CommonMark never reads as emphasis inside a word (run directory names such as
 * {@code lr=0.1__seed=1}).
 * <p>
 * A figure without an image file ({@link Figure#imageFile()} null) is left out of the Markdown page.
 */
public final class MarkdownRenderer {

    private MarkdownRenderer() {}

    /**
     * The document as Markdown, laid out by its {@link Document#layout()}.
     * @param document The document.
     * @return The Markdown text, lines ending in {@code \n}.
     * @throws NullPointerException If the document is null.
     */
    public static String render(Document document) {
        Objects.requireNonNull(document, "document");
        boolean expanded = document.layout() == Document.Layout.EXPANDED;
        StringBuilder sb = new StringBuilder();
        boolean first = true;
        for (Block block : document.blocks()) {
            if (block instanceof Figure f && f.imageFile() == null) {
                continue;
            }
            if (!expanded && !first) {
                sb.append('\n');
            }
            first = false;
            block(sb, block, expanded);
            if (expanded) {
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    private static void block(StringBuilder sb, Block block, boolean expanded) {
        if (block instanceof Heading h) {
            sb.append("#".repeat(h.level())).append(' ').append(text(h.text())).append('\n');
        } else if (block instanceof Paragraph p) {
            sb.append(text(p.text())).append('\n');
        } else if (block instanceof BulletList l) {
            if (l.items().isEmpty()) {
                sb.append(text(l.whenEmpty())).append('\n');
            }
            for (String item : l.items()) {
                sb.append("- ").append(text(item)).append('\n');
            }
        } else if (block instanceof Table t) {
            sb.append(row(t.header().stream().map(Cell::new).toList()));
            sb.append('|').append((expanded ? "---|" : " --- |").repeat(t.header().size())).append('\n');
            for (List<Cell> row : t.rows()) {
                sb.append(row(row));
            }
        } else if (block instanceof Figure f) {
            sb.append("![").append(text(f.description())).append("](").append(f.imageFile()).append(")\n");
        }
    }

    private static String row(List<Cell> cells) {
        return cells.stream().map(c -> c.strong() ? "**" + cell(c.text()) + "**" : cell(c.text()))
                .collect(Collectors.joining(" | ", "| ", " |\n"));
    }

    /**
     * Markdown's escaping rule for text: each carriage return and line feed becomes a space.
     * @param s The plain text.
     * @return The text on one line.
     */
    public static String text(String s) {
        return s.replace('\n', ' ').replace('\r', ' ');
    }

    /**
     * Markdown's escaping rule for a table cell: {@link #text}, then {@code |} and {@code *} escaped with a
     * backslash.
     * @param s The plain text.
     * @return The cell's Markdown.
     */
    public static String cell(String s) {
        return text(s).replace("|", "\\|").replace("*", "\\*");
    }
}
