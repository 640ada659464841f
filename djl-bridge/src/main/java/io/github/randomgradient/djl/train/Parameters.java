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
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.github.randomgradient.djl.optim.TorchOptimiser;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters of a network during training: one replica of every parameter per split of a
 * mini-batch (per training device; several on one device only in tests of the data-parallel
 * path), the store the forward passes read them from, and the update through a
 * {@link ReplicaServer}: reduce every replica's gradient onto the first, check the reduced
 * gradients, update the first replica with a {@link TorchOptimiser}, copy it back to every other
 * replica, check the parameters ({@link #step}).
 * <p>
 * Replica 0 holds the network's own parameter arrays (on the first device); every other replica
 * holds its own copy, with its own gradient, even when it shares a device with another. So the
 * reduction is exercised, and tested, on a machine with one CPU as it is on several GPUs.
 * <p>
 * The update is applied here, never through DJL's {@code Trainer.step()}: that method rejects a
 * first step whose gradients are all zero, which is a legal step when the loss scale is 0.
 * <p>
 * Host synchronisation: {@link #step} reads two scalars back from the first device (the sum of
 * every reduced gradient, before the update, and the sum of every parameter, after it; see
 * {@link #firstNonFinite}); they are the only per-step reads here. The gradients are checked
 * before the update so that a non-finite gradient changes no parameter (and no optimiser state).
 */
public final class Parameters {

    private final Block block;
    private final Device[] replicaDevices;
    private final ReplicaStore store;
    private final List<String> names = new ArrayList<>();
    private final List<Parameter> all = new ArrayList<>();
    private final List<Integer> trainable = new ArrayList<>();
    private final Map<String, Integer> index = new HashMap<>();
    /** {@code mirrors[r][i]}: parameter {@code i} on replica {@code r}; {@code mirrors[0][i]} is the parameter's own array. */
    private final NDArray[][] mirrors;

    /**
     * Wraps an initialised network with one replica per device.
     * @param block The network, initialised on {@code devices[0]}.
     * @param manager The training manager (on {@code devices[0]}); replicas are attached to it.
     * @param devices The training devices, the first holding the master parameters; distinct.
     */
    public Parameters(Block block, NDManager manager, Device[] devices) {
        this(block, manager, devices, 1);
    }

    /**
     * Wraps an initialised network with {@code replicasPerDevice} replicas per device; replica
     * {@code r} lives on {@code devices[r % devices.length]}.
     * @param block The network, initialised on {@code devices[0]}.
     * @param manager The training manager (on {@code devices[0]}); replicas are attached to it.
     * @param devices The training devices, the first holding the master parameters; distinct.
     * @param replicasPerDevice Replicas per device, >= 1 (more than 1 only in tests).
     * @throws IllegalArgumentException If {@code replicasPerDevice < 1}.
     */
    public Parameters(Block block, NDManager manager, Device[] devices, int replicasPerDevice) {
        if (replicasPerDevice < 1) {
            throw new IllegalArgumentException("replicasPerDevice must be >= 1, found " + replicasPerDevice);
        }
        this.block = block;
        this.replicaDevices = new Device[devices.length * replicasPerDevice];
        for (int r = 0; r < replicaDevices.length; r++) {
            replicaDevices[r] = devices[r % devices.length];
        }
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                trainable.add(all.size());
            }
            index.put(p.getValue().getId(), all.size());
            names.add(p.getKey());
            all.add(p.getValue());
        }
        this.mirrors = new NDArray[replicaDevices.length][all.size()];
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            for (int i = 0; i < all.size(); i++) {
                NDArray master = all.get(i).getArray();
                mirrors[0][i] = master;
                for (int r = 1; r < replicaDevices.length; r++) {
                    // A copy even on the same device (duplicate, not toDevice, which may alias): its own storage and gradient.
                    NDArray copy = replicaDevices[r].equals(master.getDevice()) ? master.duplicate()
                            : master.toDevice(replicaDevices[r], true);
                    copy.attach(manager);
                    if (all.get(i).requiresGradient()) {
                        copy.setRequiresGradient(true);
                    }
                    mirrors[r][i] = copy;
                }
            }
        } finally {
            JniUtils.setGradMode(gradMode);
        }
        this.store = new ReplicaStore(manager);
    }

    /**
     * The parameter store for forward passes: it hands out the current replica's arrays
     * ({@link #useReplica}), replica 0 unless a split's forward pass is running.
     * @return The store.
     */
    public ParameterStore store() {
        return store;
    }

    /**
     * The number of replicas.
     * @return Devices times replicas per device.
     */
    public int replicas() {
        return replicaDevices.length;
    }

    /**
     * The device of a replica.
     * @param replica The replica, from 0.
     * @return Its device.
     */
    public Device device(int replica) {
        return replicaDevices[replica];
    }

    /**
     * Makes the store hand out replica {@code replica}'s arrays to the following forward passes.
     * @param replica The replica, from 0.
     */
    void useReplica(int replica) {
        store.current = replica;
    }

    /**
     * One parameter's array on one replica (for tests of the reduction).
     * @param replica The replica, from 0.
     * @param parameter The parameter, in {@code block.getParameters()} order.
     * @return The array.
     */
    NDArray mirror(int replica, int parameter) {
        return mirrors[replica][parameter];
    }

    /**
     * One optimiser step after the backward passes: sums every replica's gradient onto replica 0
     * ({@link ReplicaServer#reduce}), checks the reduced gradients, and only if all are finite
     * updates replica 0 at {@code learningRate}, copies every parameter (batch-norm running
     * statistics included) back to the other replicas, and checks the parameters.
     * @param server The update rule's server.
     * @param learningRate \( \eta_t \).
     * @return {@code gradient of NAME} when a reduced gradient holds a NaN or an infinity (no
     *         parameter was changed), {@code parameter NAME} when a parameter does after the update,
     *         or null when every value is finite.
     */
    String step(ReplicaServer server, double learningRate) {
        List<NDArray> reduced = new ArrayList<>(trainable.size());
        try {
            for (int i : trainable) {
                NDArray[] grads = new NDArray[replicaDevices.length];
                grads[0] = mirrors[0][i].getGradient();
                reduced.add(grads[0]);
                for (int r = 1; r < grads.length; r++) {
                    grads[r] = mirrors[r][i].getGradient();
                }
                try {
                    ReplicaServer.reduce(grads);
                } finally {
                    for (int r = 1; r < grads.length; r++) {
                        grads[r].close();
                    }
                }
            }
            int bad = firstNonFinite(reduced);
            if (bad >= 0) {
                return "gradient of " + names.get(trainable.get(bad));
            }
            server.setLearningRate(learningRate);
            boolean gradMode = JniUtils.isGradMode();
            JniUtils.setGradMode(false);
            try {
                for (int k = 0; k < trainable.size(); k++) {
                    server.apply(all.get(trainable.get(k)).getId(), replicasOf(trainable.get(k)), reduced.get(k));
                }
                if (replicaDevices.length > 1) {
                    for (int i = 0; i < all.size(); i++) {
                        if (!all.get(i).requiresGradient()) {
                            ReplicaServer.broadcast(replicasOf(i));
                        }
                    }
                }
            } finally {
                JniUtils.setGradMode(gradMode);
            }
        } finally {
            reduced.forEach(NDArray::close);
        }
        return firstNonFiniteParameter();
    }

    private NDArray[] replicasOf(int parameter) {
        NDArray[] arrays = new NDArray[replicaDevices.length];
        for (int r = 0; r < arrays.length; r++) {
            arrays[r] = mirrors[r][parameter];
        }
        return arrays;
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
     * Index of the first array holding a NaN or an infinity.
     * <p>
     * The common case costs one fused reduction and one read: the sum of every element of every
     * array ({@link #sumIsFinite}). A NaN or an infinity anywhere makes that sum NaN or infinite
     * (IEEE arithmetic: {@code NaN + x = NaN}, {@code inf + finite = inf}, {@code inf + -inf = NaN}),
     * so a finite sum proves every array finite. Only when the sum is not finite is each array
     * checked on its own (its largest magnitude, one more read), which names the array, and which
     * also tells a real NaN or infinity from a sum of finite values that overflowed float32 (every
     * value huge, e.g. above {@code 3.4e38 / size}): the latter is not reported, so the result is
     * exactly that of the per-array check.
     * @param arrays The arrays, on one device.
     * @return The index, or -1 if all are finite.
     */
    static int firstNonFinite(List<NDArray> arrays) {
        if (arrays.isEmpty() || sumIsFinite(arrays)) {
            return -1;
        }
        return firstNonFiniteEach(arrays);
    }

    /**
     * Whether the sum of every element of {@code arrays} is finite: one concatenation of their
     * flattened views, one sum, one read.
     * @param arrays The arrays, on one device; at least one.
     * @return False if any element is NaN or infinite, or if the finite elements' sum overflows.
     */
    static boolean sumIsFinite(List<NDArray> arrays) {
        try (NDManager scope = arrays.get(0).getManager().newSubManager()) {
            NDList flat = new NDList(arrays.size());
            for (NDArray a : arrays) {
                NDArray f = a.reshape(-1);
                f.attach(scope);
                flat.add(f);
            }
            NDArray all = flat.size() == 1 ? flat.get(0) : NDArrays.concat(flat);
            all.attach(scope);
            NDArray sum = all.sum();
            sum.attach(scope);
            return Float.isFinite(sum.getFloat());
        }
    }

    /**
     * Index of the first array holding a NaN or an infinity, each array checked by its largest
     * magnitude; one read from the device.
     * @param arrays The arrays, on one device.
     * @return The index, or -1 if all are finite.
     */
    static int firstNonFiniteEach(List<NDArray> arrays) {
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

    /** Sets every replica's gradient to zero (also a NaN one). */
    public void zeroGradients() {
        for (int i : trainable) {
            for (NDArray[] replica : mirrors) {
                JniUtils.zeroGrad((PtNDArray) replica[i]);
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

    /**
     * DJL's {@link ParameterStore} over the replicas: a block's forward pass asks for a parameter on
     * its input's device and gets the current replica's array. DJL's own store keys mirrors by
     * device, which allows one mirror per device and none on a second CPU "device".
     */
    private final class ReplicaStore extends ParameterStore {

        private int current;

        ReplicaStore(NDManager manager) {
            super(manager, false);
        }

        @Override
        public NDArray getValue(Parameter parameter, Device device, boolean training) {
            if (parameter == null) {
                return null;
            }
            Integer i = index.get(parameter.getId());
            if (i == null) {
                throw new IllegalStateException("parameter " + parameter.getName() + " is not a parameter of the network being trained");
            }
            NDArray value = mirrors[current][i];
            if (!value.getDevice().equals(device)) {
                throw new IllegalStateException("replica " + current + " of " + parameter.getName() + " is on " + value.getDevice()
                        + " but the input is on " + device);
            }
            return value;
        }

        @Override
        public void updateAllParameters() {
            throw new UnsupportedOperationException("updates go through Parameters.step, which reduces and checks the gradients");
        }

        @Override
        public void sync() {
            // replica 0 is the network's own parameters: nothing to copy back
        }
    }
}
