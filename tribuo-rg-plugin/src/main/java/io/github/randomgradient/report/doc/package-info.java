/**
 * One document model for the reports: a {@link io.github.randomgradient.report.doc.Document} is a
 * title and a list of {@link io.github.randomgradient.report.doc.Block}s (headings, paragraphs, lists,
 * tables, figures), built once per report and written by
 * {@link io.github.randomgradient.report.doc.MarkdownRenderer} and
 * {@link io.github.randomgradient.report.doc.HtmlRenderer}, each with one escaping rule.
 * <p>
 * The comparison report ({@code io.github.randomgradient.report}) and the sweep report
 * ({@code io.github.randomgradient.sweep.report}) build their pages here; this package knows neither.
 */
package io.github.randomgradient.report.doc;
