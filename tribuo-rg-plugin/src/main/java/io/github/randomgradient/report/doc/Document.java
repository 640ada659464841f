package io.github.randomgradient.report.doc;

import java.util.List;
import java.util.Objects;

/**
 * A report page: its title, its style sheet and its blocks in reading order, written as Markdown by
 * {@link MarkdownRenderer} and as a self-contained HTML page by {@link HtmlRenderer}.
 * <p>
 * The title goes to the HTML page's {@code <title>}; the visible title is the document's first
 * {@link Block.Heading}, if it has one.
 *
 * @param title The page title (plain text).
 * @param stylesheet The CSS of the HTML page, written as is into its {@code <style>} element; not used
 *                   in Markdown.
 * @param layout How the page is laid out in its files (white space and quoting only).
 * @param blocks The blocks, in reading order.
 */
public record Document(String title, String stylesheet, Layout layout, List<Block> blocks) {

    /**
     * Validates and freezes the document.
     * @throws NullPointerException If an argument or a block is null.
     */
    public Document {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(stylesheet, "stylesheet");
        Objects.requireNonNull(layout, "layout");
        blocks = List.copyOf(blocks);
    }

    /**
     * How a page is laid out in its files. The two layouts write the same structure with the same
     * escaping and differ only in white space and attribute quotes: each report keeps the layout its
     * files had before the reports shared this model, so its report.md and report.html stay byte for
     * byte what they were.
     */
    public enum Layout {
        /**
         * The comparison report's: the HTML page's head elements, {@code <table>} and {@code </html>} on
         * lines of their own, attributes in double quotes; in Markdown every block ends with a blank line
         * and a table's rule is {@code |---|---|}.
         */
        EXPANDED,
        /**
         * The sweep report's: the HTML page's head on one line, {@code <table><tr>} together, attributes in
         * single quotes; in Markdown blocks are separated by a blank line (none after the last) and a
         * table's rule is {@code | --- | --- |}.
         */
        COMPACT
    }
}
