package io.github.randomgradient.djl.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.randomgradient.djl.MemoryFormat;
import io.github.randomgradient.djl.convert.FeatureConverter;
import io.github.randomgradient.djl.convert.OutputConverter;
import io.github.randomgradient.images.DenseImageDataset;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Output;
import org.tribuo.impl.ArrayExample;

import java.util.ArrayList;
import java.util.List;

/**
 * A dataset converted once into dense row-major floats: inputs {@code [size, ...exampleShape]}
 * and targets {@code [size, targetWidth]} (or {@code [size]} when the width is 1), ready to become
 * tensors on a device.
 */
public final class TensorData {

    private final float[] features;
    private final float[] targets;
    private final int size;
    private final int targetWidth;

    private TensorData(float[] features, float[] targets, int size, int targetWidth) {
        this.features = features;
        this.targets = targets;
        this.size = size;
        this.targetWidth = targetWidth;
    }

    /**
     * Converts a dataset.
     * @param data The examples.
     * @param plan The feature conversion planned on the training feature domain.
     * @param outputConverter Writes the targets.
     * @param outputInfo The training output domain.
     * @param which What the data is, for the error message (e.g. {@code training}).
     * @param <T> The output type.
     * @return The dense data.
     * @throws IllegalArgumentException If the dataset is empty or an output is unknown.
     */
    public static <T extends Output<T>> TensorData of(Dataset<T> data, FeatureConverter.Plan plan,
                                                      OutputConverter<T> outputConverter, ImmutableOutputInfo<T> outputInfo,
                                                      String which) {
        if (data instanceof DenseImageDataset<T> images) {
            TensorData dense = ofImages(images, plan, outputConverter, outputInfo);
            if (dense != null) {
                return dense;
            }
        }
        List<Example<T>> list = new ArrayList<>(data.size());
        for (Example<T> e : data) {
            list.add(e);
        }
        if (list.isEmpty()) {
            throw new IllegalArgumentException("the " + which + " dataset is empty: DJLTrainer needs at least one example");
        }
        float[] x = new float[Math.multiplyExact(list.size(), plan.exampleSize())];
        plan.fill(list, x);
        int width = outputConverter.targetWidth(outputInfo);
        float[] y = new float[Math.multiplyExact(list.size(), width)];
        outputConverter.fillTargets(list, outputInfo, y);
        return new TensorData(x, y, list.size(), width);
    }

    /**
     * The fast path for images held as one pixel array ({@link FeatureConverter.Plan#fillImages}):
     * no example is created for the inputs; the targets are written from featureless examples that
     * carry only each image's output.
     * @return The dense data, or null if the plan has no fast path for these images.
     */
    private static <T extends Output<T>> TensorData ofImages(DenseImageDataset<T> images, FeatureConverter.Plan plan,
                                                             OutputConverter<T> outputConverter, ImmutableOutputInfo<T> outputInfo) {
        int n = images.size();
        float[] x = new float[Math.multiplyExact(n, plan.exampleSize())];
        if (!plan.fillImages(images, x)) {
            return null;
        }
        List<Example<T>> outputs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            outputs.add(new ArrayExample<>(images.output(i)));
        }
        int width = outputConverter.targetWidth(outputInfo);
        float[] y = new float[Math.multiplyExact(n, width)];
        outputConverter.fillTargets(outputs, outputInfo, y);
        return new TensorData(x, y, n, width);
    }

    /**
     * The number of examples.
     * @return The size.
     */
    public int size() {
        return size;
    }

    /**
     * Copies the data to a device, the inputs in the stored order of {@code format}
     * ({@link MemoryFormat#storedShape}: {@code [size, H, W, C]} for images under
     * {@link MemoryFormat#CHANNELS_LAST}, one reordered host copy when {@code C > 1}; else
     * {@code [size, ...exampleShape]}). {@link MemoryFormat#toInput} turns a slice of them into the
     * network's input.
     * @param manager The manager the tensors are attached to.
     * @param device The device.
     * @param exampleShape The shape of one input example.
     * @param format The memory format of the network's input.
     * @param outputConverter Gives the target data type.
     * @return {@code [inputs, targets]}.
     */
    public NDArray[] toDevice(NDManager manager, Device device, long[] exampleShape, MemoryFormat format,
                              OutputConverter<?> outputConverter) {
        long[] shape = format.storedShape(size, exampleShape);
        NDArray x = manager.create(format.toStored(features, exampleShape), new Shape(shape)).toDevice(device, false);
        Shape targetShape = targetWidth == 1 ? new Shape(size) : new Shape(size, targetWidth);
        NDArray y = manager.create(targets, targetShape).toType(outputConverter.targetDataType(), false).toDevice(device, false);
        x.attach(manager);
        y.attach(manager);
        return new NDArray[]{x, y};
    }
}
