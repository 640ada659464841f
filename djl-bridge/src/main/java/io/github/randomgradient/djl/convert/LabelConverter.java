package io.github.randomgradient.djl.convert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;
import org.tribuo.Example;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Multi-class classification: softmax cross-entropy on logits {@code [batch, numClasses]},
 * targets are class indices {@code [batch]}, and predictions carry the softmax probabilities.
 * <p>
 * Class index {@code i} is the label with id {@code i} in the model's {@link ImmutableOutputInfo};
 * label names are never assumed to be {@code "0"}, {@code "1"}, ...
 */
public final class LabelConverter implements OutputConverter<Label> {
    private static final long serialVersionUID = 1L;

    /**
     * Creates a label converter (it has no parameters).
     */
    public LabelConverter() {}

    @Override
    public Class<Label> getTypeWitness() {
        return Label.class;
    }

    @Override
    public void validate(ImmutableOutputInfo<?> outputInfo) {
        if (outputInfo.size() == 0) {
            throw new IllegalArgumentException("the dataset has no labels: LabelConverter needs at least 2 classes");
        }
        Object first = outputInfo.getDomain().iterator().next();
        if (!(first instanceof Label)) {
            throw new IllegalArgumentException("outputConverter is LabelConverter but the dataset's outputs are "
                    + first.getClass().getSimpleName() + ": use a RegressorConverter for regression data");
        }
        if (outputInfo.size() < 2) {
            throw new IllegalArgumentException("the dataset has only one label (" + first + "): classification needs at least 2");
        }
    }

    @Override
    public int numOutputs(ImmutableOutputInfo<Label> outputInfo) {
        return outputInfo.size();
    }

    /**
     * {@inheritDoc}
     * @return {@link DataType#INT64}: class indices.
     */
    @Override
    public DataType targetDataType() {
        return DataType.INT64;
    }

    @Override
    public int targetWidth(ImmutableOutputInfo<Label> outputInfo) {
        return 1;
    }

    @Override
    public void fillTargets(List<? extends Example<Label>> examples, ImmutableOutputInfo<Label> outputInfo, float[] out) {
        int i = 0;
        for (Example<Label> e : examples) {
            int id = outputInfo.getID(e.getOutput());
            if (id < 0) {
                throw new IllegalArgumentException("example " + i + " has label '" + e.getOutput().getLabel()
                        + "', unknown to the output domain " + outputInfo.toReadableString());
            }
            out[i++] = id;
        }
    }

    /**
     * {@inheritDoc}
     * @return DJL's softmax cross-entropy with sparse (index) labels, mean over the batch.
     */
    @Override
    public Loss loss() {
        return Loss.softmaxCrossEntropyLoss();
    }

    @Override
    public String metricName() {
        return "accuracy";
    }

    @Override
    public double metricSum(NDArray outputs, NDArray targets) {
        // Temporaries belong to the caller's (per-step) NDManager and are freed with it.
        NDArray predicted = outputs.argMax(1);
        NDArray truth = targets.reshape(-1).toType(DataType.INT64, true);
        return predicted.eq(truth).toType(DataType.INT64, false).sum().getLong();
    }

    @Override
    public double finishMetric(double sum, int examples, ImmutableOutputInfo<Label> outputInfo) {
        return examples == 0 ? Double.NaN : sum / examples;
    }

    @Override
    public Prediction<Label> toPrediction(float[] row, ImmutableOutputInfo<Label> outputInfo, int numUsed, Example<Label> example) {
        // Numerically stable softmax in double precision.
        double max = Double.NEGATIVE_INFINITY;
        for (float v : row) {
            max = Math.max(max, v);
        }
        double[] p = new double[row.length];
        double sum = 0;
        for (int i = 0; i < row.length; i++) {
            p[i] = Math.exp(row[i] - max);
            sum += p[i];
        }
        Map<String, Label> scores = new LinkedHashMap<>();
        int best = 0;
        for (int i = 0; i < row.length; i++) {
            p[i] /= sum;
            String name = outputInfo.getOutput(i).getLabel();
            scores.put(name, new Label(name, p[i]));
            if (p[i] > p[best]) {
                best = i;
            }
        }
        Label top = new Label(outputInfo.getOutput(best).getLabel(), p[best]);
        return new Prediction<>(top, scores, numUsed, example, true);
    }

    @Override
    public boolean generatesProbabilities() {
        return true;
    }

    @Override
    public String toString() {
        return "LabelConverter()";
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "OutputConverter");
    }
}
