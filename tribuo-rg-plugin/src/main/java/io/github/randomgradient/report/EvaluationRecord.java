package io.github.randomgradient.report;

import java.util.Map;

/**
 * The test-set evaluation of a classification run, computed by Tribuo's {@code LabelEvaluator}
 * and written as {@value RunFiles#EVALUATION}.
 *
 * @param accuracy Accuracy on the test set.
 * @param macroF1 Macro-averaged F1.
 * @param balancedErrorRate Balanced error rate (mean per-class error).
 * @param perClass Per label: precision, recall, F1 and support.
 */
public record EvaluationRecord(double accuracy, double macroF1, double balancedErrorRate, Map<String, ClassMetrics> perClass) {

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
