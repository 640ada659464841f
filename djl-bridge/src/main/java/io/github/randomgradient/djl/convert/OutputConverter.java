package io.github.randomgradient.djl.convert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;
import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenancable;
import org.tribuo.Example;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Output;
import org.tribuo.Prediction;

import java.io.Serializable;
import java.util.List;

/**
 * Converts Tribuo outputs into DJL training targets, names the loss, and converts network outputs
 * ({@code [batch, numOutputs]} logits or values) back into Tribuo {@link Prediction}s.
 * <p>
 * Output indices always come from the model's own {@link ImmutableOutputInfo}.
 *
 * @param <T> The Tribuo output type.
 */
public interface OutputConverter<T extends Output<T>> extends Configurable, Provenancable<ConfiguredObjectProvenance>, Serializable {

    /**
     * The output class this converter handles.
     * @return The type witness, e.g. {@code Label.class}.
     */
    Class<T> getTypeWitness();

    /**
     * Checks the output domain is of this converter's type and usable for training.
     * @param outputInfo The output domain of the training data.
     * @throws IllegalArgumentException If it holds another output type or is unusable; the message says which.
     */
    void validate(ImmutableOutputInfo<?> outputInfo);

    /**
     * The number of network outputs per example, e.g. the number of classes.
     * @param outputInfo The output domain.
     * @return The width of the network's last layer.
     */
    int numOutputs(ImmutableOutputInfo<T> outputInfo);

    /**
     * The number of target floats per example: 1 (a class index) for labels, the number of
     * dimensions for regression.
     * @param outputInfo The output domain.
     * @return The target width.
     */
    int targetWidth(ImmutableOutputInfo<T> outputInfo);

    /**
     * The data type of the target tensor built from {@link #fillTargets}.
     * @return {@link DataType#FLOAT32} unless overridden (class indices use {@link DataType#INT64}).
     */
    default DataType targetDataType() {
        return DataType.FLOAT32;
    }

    /**
     * Writes the targets of the examples into {@code out}, row-major, {@link #targetWidth} floats each.
     * @param examples The examples.
     * @param outputInfo The output domain.
     * @param out The destination.
     * @throws IllegalArgumentException If an example's output is unknown to the domain.
     */
    void fillTargets(List<? extends Example<T>> examples, ImmutableOutputInfo<T> outputInfo, float[] out);

    /**
     * The DJL loss; its value is the mean over the mini-batch.
     * @return A new loss.
     */
    Loss loss();

    /**
     * The name of the metric computed by {@link #metricSum}, e.g. {@code accuracy}.
     * @return The metric name.
     */
    String metricName();

    /**
     * The per-batch contribution to the training/validation metric: the number of correct
     * predictions (accuracy), or the sum of squared errors (RMSE).
     * @param outputs Network outputs {@code [batch, numOutputs]}.
     * @param targets Targets {@code [batch, targetWidth]} or {@code [batch]}.
     * @return The sum for this batch.
     */
    double metricSum(NDArray outputs, NDArray targets);

    /**
     * Turns summed contributions into the metric.
     * @param sum The total of {@link #metricSum} over batches.
     * @param examples The number of examples.
     * @param outputInfo The output domain.
     * @return The metric value.
     */
    double finishMetric(double sum, int examples, ImmutableOutputInfo<T> outputInfo);

    /**
     * Converts one row of network output into a prediction.
     * @param row The network output for one example, length {@link #numOutputs}.
     * @param outputInfo The model's output domain.
     * @param numUsed The number of the example's features known to the model.
     * @param example The example.
     * @return The prediction.
     */
    Prediction<T> toPrediction(float[] row, ImmutableOutputInfo<T> outputInfo, int numUsed, Example<T> example);

    /**
     * Does this converter produce probabilities?
     * @return True for classification.
     */
    boolean generatesProbabilities();
}
