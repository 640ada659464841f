package io.github.randomgradient.djl.convert;

import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.ImmutableFeatureMap;

import java.util.List;

/**
 * Converts examples to a dense {@code [batch, numFeatures]} float tensor, feature id {@code j}
 * (from the model's {@link ImmutableFeatureMap}) in column {@code j}. Absent features are 0.
 */
public final class DenseFeatureConverter implements FeatureConverter {
    private static final long serialVersionUID = 1L;

    /**
     * Creates a dense feature converter (it has no parameters).
     */
    public DenseFeatureConverter() {}

    @Override
    public long[] exampleShape(ImmutableFeatureMap featureMap) {
        if (featureMap.size() == 0) {
            throw new IllegalArgumentException("featureMap is empty: the dataset has no features to convert");
        }
        return new long[]{featureMap.size()};
    }

    @Override
    public Plan plan(ImmutableFeatureMap featureMap) {
        final int width = (int) exampleShape(featureMap)[0];
        return new Plan() {
            @Override
            public int exampleSize() {
                return width;
            }

            @Override
            public int[] fill(List<? extends Example<?>> examples, float[] out) {
                int[] used = new int[examples.size()];
                int row = 0;
                for (Example<?> e : examples) {
                    int base = row * width;
                    java.util.Arrays.fill(out, base, base + width, 0f);
                    for (Feature f : e) {
                        int id = featureMap.getID(f.getName());
                        if (id >= 0) {
                            out[base + id] = (float) f.getValue();
                            used[row]++;
                        }
                    }
                    row++;
                }
                return used;
            }
        };
    }

    @Override
    public String toString() {
        return "DenseFeatureConverter()";
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "FeatureConverter");
    }
}
