package io.github.randomgradient.history;

import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.Output;
import org.tribuo.Trainer;

import java.util.Map;

/**
 * A trainer that can measure its metric on held-out data at the end of every epoch (and, where the
 * trainer is configured so, more often: see {@link TrainingHistory#evaluations()}), so convergence
 * curves show held-out accuracy and loss. The held-out data never influences the parameters. The
 * CLI passes the test set and names it {@code test}; the history records that name in
 * {@link TrainingHistory#heldOutData()} so no one mistakes test accuracy for validation accuracy.
 *
 * @param <T> The output type.
 */
public interface HeldOutEvaluatingTrainer<T extends Output<T>> extends Trainer<T> {

    /**
     * Trains a model, evaluating {@code heldOut} at the end of each epoch (at least) and recording
     * the results in the model's {@link TrainingHistory}: each epoch record's held-out metric and
     * one {@link EvaluationPoint} per evaluation.
     * @param train The training data.
     * @param heldOut The held-out data evaluated after each epoch.
     * @param heldOutName What the held-out data is, e.g. {@code test} or {@code validation}; used in
     *                    the history and the per-epoch log line.
     * @param runProvenance Extra provenance for this run.
     * @return The trained model.
     * @throws IllegalArgumentException If either dataset is empty or incompatible with the trainer,
     *                                  or the name is blank.
     */
    Model<T> train(Dataset<T> train, Dataset<T> heldOut, String heldOutName, Map<String, Provenance> runProvenance);
}
