package io.github.randomgradient.report;

import io.github.randomgradient.run.ProvenanceFacts;
import io.github.randomgradient.run.RunRecord;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link ComparisonReport} compares and how.
 *
 * @param comparisons The candidate-vs-reference pairs to give a verdict on, by trainer name
 *                    ({@link RunRecord#trainer()}); when empty, every Random Gradient trainer
 *                    ({@link ProvenanceFacts#isRandomGradient()}) is compared with every other trainer.
 * @param targetAccuracy The test accuracy whose first epoch is reported as "epochs to reach target",
 *                       in [0, 1].
 * @param title The report's title.
 */
public record ReportOptions(List<Comparison> comparisons, double targetAccuracy, String title) {

    /**
     * Validates and freezes the options.
     * @throws NullPointerException If {@code comparisons}, one of its entries, or {@code title} is null.
     * @throws IllegalArgumentException If {@code targetAccuracy} is not in [0, 1].
     */
    public ReportOptions {
        comparisons = List.copyOf(Objects.requireNonNull(comparisons, "comparisons"));
        Objects.requireNonNull(title, "title");
        if (!(targetAccuracy >= 0.0 && targetAccuracy <= 1.0)) {
            throw new IllegalArgumentException("targetAccuracy must be an accuracy in [0, 1], found " + targetAccuracy);
        }
    }

    /**
     * One verdict to give: does {@code candidate} reach a different test accuracy than {@code reference}?
     *
     * @param candidate The trainer under test, e.g. {@code cnn-rg}.
     * @param reference The trainer it is compared with, e.g. {@code cnn-baseline} or {@code cnn-baseline-lr-matched}.
     */
    public record Comparison(String candidate, String reference) {

        /**
         * Validates the pair.
         * @throws NullPointerException If either name is null.
         * @throws IllegalArgumentException If a trainer is compared with itself.
         */
        public Comparison {
            Objects.requireNonNull(candidate, "candidate");
            Objects.requireNonNull(reference, "reference");
            if (candidate.equals(reference)) {
                throw new IllegalArgumentException("a comparison needs two different trainers, found " + candidate + " twice");
            }
        }
    }
}
