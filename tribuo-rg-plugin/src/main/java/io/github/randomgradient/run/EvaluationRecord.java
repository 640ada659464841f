package io.github.randomgradient.run;

import java.util.Map;

/**
 * The test-set evaluation of a classification run, computed by Tribuo's {@code LabelEvaluator}
 * and written as {@value RunFiles#EVALUATION}.
 *
 * @param accuracy Accuracy on the test set.
 * @param macroF1 Macro-averaged F1 as Tribuo computes it (absent classes count as 0; see {@link #macroF1OverPresentClasses()}).
 * @param balancedErrorRate Balanced error rate (mean per-class error).
 * @param perClass Per label: precision, recall, F1 and support.
 */
public record EvaluationRecord(double accuracy, double macroF1, double balancedErrorRate, Map<String, ClassMetrics> perClass) {

    /**
     * Macro-averaged F1 over the classes present in the test set (support above 0). Tribuo's
     * {@code macroAveragedF1} counts a class absent from the test set as F1 = 0, so a perfect classifier
     * scores 2/3 when one of three classes is missing; here absent classes are left out.
     * @return The mean F1 of the present classes; {@link #macroF1()} if no per-class metrics were recorded,
     *         NaN if no class is present.
     */
    public double macroF1OverPresentClasses() {
        if (perClass == null || perClass.isEmpty()) {
            return macroF1;
        }
        return perClass.values().stream().filter(c -> c.support() > 0).mapToDouble(ClassMetrics::f1).average()
                .orElse(Double.NaN);
    }

    /**
     * The number of examples evaluated: the sum of the per-class supports (Tribuo's confusion matrix
     * counts every example once, under its true label).
     * @return The number of examples; 0 if no per-class metrics were recorded.
     */
    public long examples() {
        if (perClass == null) {
            return 0;
        }
        return Math.round(perClass.values().stream().mapToDouble(ClassMetrics::support).sum());
    }

    /**
     * Metrics of one class.
     *
     * @param precision Precision.
     * @param recall Recall.
     * @param f1 F1.
     * @param support Number of test examples of the class.
     */
    public record ClassMetrics(double precision, double recall, double f1, double support) {}
}
