package io.github.randomgradient.djl.train;

import io.github.randomgradient.history.Divergence;
import io.github.randomgradient.history.EpochRecord;
import io.github.randomgradient.history.EvaluationPoint;

import java.util.List;

/**
 * What a training run produced.
 *
 * @param parameters      The final (finite) parameters, as DJL's {@code Block.saveParameters} bytes.
 * @param parameterShapes Each parameter's name and shape, e.g. {@code 01Linear_weight (32, 2)}, in save order.
 * @param epochs          One record per epoch run (the diverging epoch's completed steps included).
 * @param divergence      Where the run diverged under {@code STOP}, or null.
 * @param evaluations     The held-out curve, one point per evaluation (empty without held-out data).
 */
public record TrainingResult(byte[] parameters, List<String> parameterShapes, List<EpochRecord> epochs, Divergence divergence,
                             List<EvaluationPoint> evaluations) {
}
