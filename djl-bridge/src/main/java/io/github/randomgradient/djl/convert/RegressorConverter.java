package io.github.randomgradient.djl.convert;

import ai.djl.ndarray.NDArray;
import ai.djl.training.loss.Loss;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;
import org.tribuo.Example;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Prediction;
import org.tribuo.regression.ImmutableRegressionInfo;
import org.tribuo.regression.Regressor;

import java.util.List;

/**
 * Regression, possibly multi-dimensional: network outputs {@code [batch, numDimensions]} are the
 * predicted values, trained with DJL's L2 loss, \( \frac{1}{2}(y - \hat y)^2 \) averaged over the
 * batch and dimensions.
 * <p>
 * Output column {@code j} is the dimension with id {@code j} in the model's {@link ImmutableOutputInfo}.
 */
public final class RegressorConverter implements OutputConverter<Regressor> {
    private static final long serialVersionUID = 1L;

    /**
     * Creates a regressor converter (it has no parameters).
     */
    public RegressorConverter() {}

    @Override
    public Class<Regressor> getTypeWitness() {
        return Regressor.class;
    }

    @Override
    public void validate(ImmutableOutputInfo<?> outputInfo) {
        if (!(outputInfo instanceof ImmutableRegressionInfo)) {
            Object first = outputInfo.size() == 0 ? "nothing" : outputInfo.getDomain().iterator().next().getClass().getSimpleName();
            throw new IllegalArgumentException("outputConverter is RegressorConverter but the dataset's outputs are "
                    + first + ": use a LabelConverter for classification data");
        }
        if (outputInfo.size() == 0) {
            throw new IllegalArgumentException("the dataset has no regression dimensions");
        }
    }

    @Override
    public int numOutputs(ImmutableOutputInfo<Regressor> outputInfo) {
        return outputInfo.size();
    }

    @Override
    public int targetWidth(ImmutableOutputInfo<Regressor> outputInfo) {
        return outputInfo.size();
    }

    @Override
    public void fillTargets(List<? extends Example<Regressor>> examples, ImmutableOutputInfo<Regressor> outputInfo, float[] out) {
        // Regressor values are in natural (name-sorted) order; map through the id -> natural order table.
        int[] natural = ((ImmutableRegressionInfo) outputInfo).getIDtoNaturalOrderMapping();
        int width = outputInfo.size();
        int i = 0;
        for (Example<Regressor> e : examples) {
            double[] values = e.getOutput().getValues();
            if (values.length != width) {
                throw new IllegalArgumentException("example " + i + " has " + values.length + " regression dimensions, expected " + width);
            }
            for (int j = 0; j < width; j++) {
                out[i * width + j] = (float) values[natural[j]];
            }
            i++;
        }
    }

    /**
     * {@inheritDoc}
     * @return DJL's L2 loss, mean over the batch.
     */
    @Override
    public Loss loss() {
        return Loss.l2Loss();
    }

    @Override
    public String metricName() {
        return "rmse";
    }

    @Override
    public double metricSum(NDArray outputs, NDArray targets) {
        // Temporaries belong to the caller's (per-step) NDManager and are freed with it.
        return outputs.sub(targets.reshape(outputs.getShape())).square().sum().getFloat();
    }

    @Override
    public double finishMetric(double sum, int examples, ImmutableOutputInfo<Regressor> outputInfo) {
        return examples == 0 ? Double.NaN : Math.sqrt(sum / ((double) examples * outputInfo.size()));
    }

    @Override
    public Prediction<Regressor> toPrediction(float[] row, ImmutableOutputInfo<Regressor> outputInfo, int numUsed, Example<Regressor> example) {
        String[] names = new String[row.length];
        double[] values = new double[row.length];
        for (int id = 0; id < row.length; id++) {
            // getOutput(id) is a single-dimension Regressor for that id.
            names[id] = outputInfo.getOutput(id).getNames()[0];
            values[id] = row[id];
        }
        return new Prediction<>(new Regressor(names, values), numUsed, example);
    }

    @Override
    public boolean generatesProbabilities() {
        return false;
    }

    @Override
    public String toString() {
        return "RegressorConverter()";
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "OutputConverter");
    }
}
