package io.github.randomgradient.djl.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterServer;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.github.randomgradient.djl.optim.TorchOptimiser;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The parameters of a network during training: their mirrors on each training device (DJL's
 * {@link ParameterStore}), the reduction of gradients onto the first device, the update by a
 * {@link TorchOptimiser} and the finiteness checks.
 * <p>
 * The update is applied here, never through DJL's {@code Trainer.step()}: that method rejects a
 * first step whose gradients are all zero, which is a legal step when the loss scale is 0.
 * <p>
 * Host synchronisation: {@link #firstNonFiniteGradient()} and {@link #firstNonFiniteParameter()}
 * each read one small array back from the device; they are the only per-step reads here.
 */
public final class Parameters {

    private final Block block;
    private final Device[] devices;
    private final ParameterStore store;
    private final List<String> names = new ArrayList<>();
    private final List<Parameter> all = new ArrayList<>();
    private final List<Integer> trainable = new ArrayList<>();

    /**
     * Wraps an initialised network.
     * @param block The network, initialised on {@code devices[0]}.
     * @param manager The training manager (on {@code devices[0]}); mirrors are attached to it.
     * @param devices The training devices, the first holding the master parameters.
     */
    public Parameters(Block block, NDManager manager, Device[] devices) {
        this.block = block;
        this.devices = devices.clone();
        this.store = new ParameterStore(manager, false);
        // The server only registers the devices for mirroring; updates go through update() below.
        store.setParameterServer(new MirrorsOnly(), this.devices);
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                trainable.add(all.size());
            }
            names.add(p.getKey());
            all.add(p.getValue());
        }
        // Create the mirrors now, the first device first, so that its mirror is the parameter itself.
        for (Device d : this.devices) {
            for (Parameter p : all) {
                store.getValue(p, d, true);
            }
        }
    }

    /**
     * The parameter store for forward passes.
     * @return The store.
     */
    public ParameterStore store() {
        return store;
    }

    /**
     * Sums the gradients of every device's mirror into the first device's gradient.
     */
    public void reduceGradients() {
        if (devices.length == 1) {
            return;
        }
        for (int i : trainable) {
            Parameter p = all.get(i);
            try (NDArray master = store.getValue(p, devices[0], true).getGradient()) {
                for (int d = 1; d < devices.length; d++) {
                    try (NDArray g = store.getValue(p, devices[d], true).getGradient();
                         NDArray moved = g.toDevice(devices[0], true)) {
                        master.addi(moved);
                    }
                }
            }
        }
    }

    /**
     * The first trainable parameter whose (reduced) gradient holds a NaN or an infinity.
     * @return {@code gradient of NAME}, or null if every gradient is finite.
     */
    public String firstNonFiniteGradient() {
        List<NDArray> grads = new ArrayList<>();
        for (int i : trainable) {
            grads.add(store.getValue(all.get(i), devices[0], true).getGradient());
        }
        int bad = firstNonFinite(grads);
        grads.forEach(NDArray::close);
        return bad < 0 ? null : "gradient of " + names.get(trainable.get(bad));
    }

    /**
     * The first parameter (trainable or not, e.g. batch-norm running statistics) holding a NaN or an infinity.
     * @return {@code parameter NAME}, or null if every parameter is finite.
     */
    public String firstNonFiniteParameter() {
        List<NDArray> values = new ArrayList<>();
        for (Parameter p : all) {
            values.add(p.getArray());
        }
        int bad = firstNonFinite(values);
        return bad < 0 ? null : "parameter " + names.get(bad);
    }

    /**
     * Index of the first array holding a NaN or an infinity, with one read from the device.
     * @param arrays The arrays, on one device.
     * @return The index, or -1 if all are finite.
     */
    static int firstNonFinite(List<NDArray> arrays) {
        if (arrays.isEmpty()) {
            return -1;
        }
        NDManager scope = arrays.get(0).getManager().newSubManager();
        try (scope) {
            NDList maxima = new NDList(arrays.size());
            for (NDArray a : arrays) {
                // abs() is attached to the array's (long-lived) manager: close it here, or every step leaks a copy.
                try (NDArray abs = a.abs()) {
                    NDArray m = abs.max();
                    m.attach(scope);
                    maxima.add(m);
                }
            }
            NDArray stacked = NDArrays.stack(maxima);
            stacked.attach(scope);
            float[] values = stacked.toFloatArray();
            for (int i = 0; i < values.length; i++) {
                if (!Float.isFinite(values[i])) {
                    return i;
                }
            }
            return -1;
        }
    }

    /**
     * Applies one update to every trainable parameter from its reduced gradient, then copies the
     * result to the other devices' mirrors.
     * @param optimiser The update rule.
     * @param learningRate \( \eta_t \).
     */
    public void update(TorchOptimiser optimiser, double learningRate) {
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            for (int i : trainable) {
                Parameter p = all.get(i);
                NDArray weight = store.getValue(p, devices[0], true);
                try (NDArray grad = weight.getGradient()) {
                    optimiser.update(p.getId(), weight, grad, learningRate);
                }
                for (int d = 1; d < devices.length; d++) {
                    weight.copyTo(store.getValue(p, devices[d], true));
                }
            }
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    /** Sets every mirror's gradient to zero (also a NaN one). */
    public void zeroGradients() {
        for (int i : trainable) {
            for (Device d : devices) {
                JniUtils.zeroGrad((PtNDArray) store.getValue(all.get(i), d, true));
            }
        }
    }

    /**
     * The network's parameters as written by DJL's {@code Block.saveParameters}.
     * @return The bytes.
     */
    public byte[] save() {
        return save(block);
    }

    /**
     * A block's parameters as written by DJL's {@code Block.saveParameters}.
     * @param block The block.
     * @return The bytes.
     */
    public static byte[] save(Block block) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            block.saveParameters(out);
        } catch (IOException e) {
            throw new UncheckedIOException("could not save the network's parameters", e);
        }
        return bytes.toByteArray();
    }

    /** Registers the devices with the store; updates never come through it. */
    private static final class MirrorsOnly implements ParameterServer {
        @Override
        public void init(String parameterId, NDArray[] value) {
            // nothing to set up: Parameters keeps the optimiser state
        }

        @Override
        public void update(String parameterId, NDArray[] grads, NDArray[] params) {
            throw new UnsupportedOperationException("updates are applied by Parameters.update, not by DJL's parameter server");
        }

        @Override
        public void close() {
            // nothing to free
        }
    }
}
