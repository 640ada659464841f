package io.github.randomgradient.report;

import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.Output;
import org.tribuo.Trainer;

import java.util.Map;

/**
 * A trainer that can measure a held-out metric at the end of every epoch, so convergence curves
 * show held-out accuracy per epoch. The validation data never influences the parameters.
 *
 * @param <T> The output type.
 */
public interface ValidatingTrainer<T extends Output<T>> extends Trainer<T> {

    /**
     * Trains a model, evaluating {@code validation} at the end of each epoch and recording the
     * result in the model's {@link TrainingHistory}.
     * @param train The training data.
     * @param validation The held-out data evaluated after each epoch.
     * @param runProvenance Extra provenance for this run.
     * @return The trained model.
     * @throws IllegalArgumentException If either dataset is empty or incompatible with the trainer.
     */
    Model<T> train(Dataset<T> train, Dataset<T> validation, Map<String, Provenance> runProvenance);
}
