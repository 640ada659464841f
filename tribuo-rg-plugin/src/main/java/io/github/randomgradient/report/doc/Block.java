package io.github.randomgradient.report.doc;

import java.util.List;
import java.util.Objects;

/**
 * A block of a {@link Document}. Every text in a block is plain text: the renderers escape it, so a
 * builder never writes Markdown or HTML markup itself (the one exception is a {@link Figure}'s SVG,
 * which is markup by nature).
 */
public sealed interface Block permits Block.Heading, Block.Paragraph, Block.BulletList, Block.Table, Block.Figure {

    /**
     * A section heading.
     *
     * @param level 1 for the page's title, 2 for a section, 3 for a subsection.
     * @param text The heading.
     */
    record Heading(int level, String text) implements Block {

        /**
         * Validates the heading.
         * @throws IllegalArgumentException If the level is not 1, 2 or 3.
         * @throws NullPointerException If the text is null.
         */
        public Heading {
            if (level < 1 || level > 3) {
                throw new IllegalArgumentException("a heading's level is 1, 2 or 3, found " + level);
            }
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * A paragraph.
     *
     * @param text The paragraph.
     * @param note True for a note the reader must not miss (HTML: class {@code note}, coloured by the
     *             page's style sheet; Markdown: a plain paragraph).
     */
    record Paragraph(String text, boolean note) implements Block {

        /**
         * Validates the paragraph.
         * @throws NullPointerException If the text is null.
         */
        public Paragraph {
            Objects.requireNonNull(text, "text");
        }

        /**
         * A plain paragraph.
         * @param text The text.
         */
        public Paragraph(String text) {
            this(text, false);
        }
    }

    /**
     * A bulleted list, or a sentence in its place when it has no items.
     *
     * @param items The items, one sentence each.
     * @param whenEmpty The paragraph written instead of an empty list, e.g. "None.".
     * @param itemClass The HTML class of each item (e.g. {@code answer}, {@code note}), or empty for none.
     */
    record BulletList(List<String> items, String whenEmpty, String itemClass) implements Block {

        /**
         * Validates and freezes the list.
         * @throws NullPointerException If an argument or item is null.
         */
        public BulletList {
            items = List.copyOf(items);
            Objects.requireNonNull(whenEmpty, "whenEmpty");
            Objects.requireNonNull(itemClass, "itemClass");
        }
    }

    /**
     * A table: a header row and body rows.
     *
     * @param header The column names.
     * @param rows The body rows, cell by cell.
     */
    record Table(List<String> header, List<List<Cell>> rows) implements Block {

        /**
         * Validates and freezes the table.
         * @throws NullPointerException If a header name, row or cell is null.
         */
        public Table {
            header = List.copyOf(header);
            rows = rows.stream().map(List::copyOf).toList();
        }

        /**
         * A table of plain cells.
         * @param header The column names.
         * @param rows The body rows, as texts.
         * @return The table.
         */
        public static Table of(List<String> header, List<List<String>> rows) {
            return new Table(header, rows.stream().map(r -> r.stream().map(Cell::new).toList()).toList());
        }
    }

    /**
     * A table cell.
     *
     * @param text The cell's text.
     * @param strong True to set the text in bold.
     * @param shade A CSS colour for the background of a cell holding a number (HTML: right-aligned on that
     *              colour, e.g. a heatmap); empty for none. Markdown shows the text only.
     */
    record Cell(String text, boolean strong, String shade) {

        /**
         * Validates the cell.
         * @throws NullPointerException If an argument is null.
         */
        public Cell {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(shade, "shade");
        }

        /**
         * A plain cell.
         * @param text The text.
         */
        public Cell(String text) {
            this(text, false, "");
        }
    }

    /**
     * A chart: an image file beside the Markdown page and inline SVG in the HTML page.
     *
     * @param description What the chart shows: the Markdown image's alternative text and, when
     *                    {@code captioned}, the HTML caption.
     * @param imageFile The image's file name relative to the Markdown page, e.g. {@code loss.png}; null
     *                  when only the HTML page shows the chart.
     * @param svg The chart as an {@code <svg>} element, written as is into the HTML page; null when only
     *            the Markdown page shows the chart.
     * @param captioned True to wrap the HTML chart in a {@code <figure>} with its description as caption;
     *                  false to write the bare SVG (which then names itself, e.g. by {@code aria-label}).
     */
    record Figure(String description, String imageFile, String svg, boolean captioned) implements Block {

        /**
         * Validates the figure.
         * @throws NullPointerException If the description is null.
         */
        public Figure {
            Objects.requireNonNull(description, "description");
        }
    }
}
