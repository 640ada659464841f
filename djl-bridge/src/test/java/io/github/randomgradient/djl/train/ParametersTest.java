package io.github.randomgradient.djl.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import io.github.randomgradient.djl.DJLEngine;
import io.github.randomgradient.djl.optim.TorchOptimiser;
import io.github.randomgradient.djl.optim.TorchSgd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The reduction of {@link Parameters#step} on replicas that are distinct arrays on the CPU, standing
 * in for the mirrors of several GPUs: each replica gets its own gradient by back-propagating
 * {@code sum(c_r * w_r)} (so its gradient is exactly {@code c_r}), then one plain-SGD step (lr 1,
 * no momentum) must give {@code w - sum_r c_r} on every replica. Values are small integers, so the
 * comparisons are exact.
 */
public class ParametersTest {

    private NDManager manager;
    private Block block;
    private TorchOptimiser.Updater sgd;
    private ReplicaServer server;

    @BeforeEach
    public void setUp() {
        DJLEngine.engine();
        manager = NDManager.newBaseManager(Device.cpu(), DJLEngine.ENGINE_NAME);
        block = Linear.builder().setUnits(2).build();
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
        sgd = new TorchSgd(0f, false, 0f).newUpdater(manager);
        server = new ReplicaServer(sgd);
    }

    @AfterEach
    public void tearDown() {
        server.close();
        sgd.close();
        manager.close();
    }

    /** Back-propagates {@code sum(c[r] * w_r)} on each replica's copy of every parameter. */
    private static void backward(Parameters p, float[] c) {
        try (GradientCollector gc = p.store().getManager().getEngine().newGradientCollector()) {
            for (int r = 0; r < p.replicas(); r++) {
                for (int i = 0; i < 2; i++) {
                    NDArray w = p.mirror(r, i);
                    gc.backward(w.mul(c[r]).sum());
                }
            }
        }
    }

    private float[] values(Parameters p, int replica, int parameter) {
        return p.mirror(replica, parameter).toFloatArray();
    }

    @Test
    public void replicasAreDistinctArraysWithTheMastersValues() {
        Parameters p = new Parameters(block, manager, new Device[]{Device.cpu()}, 3);
        assertEquals(3, p.replicas());
        for (int i = 0; i < 2; i++) {
            for (int r = 1; r < 3; r++) {
                assertNotSame(p.mirror(0, i), p.mirror(r, i));
                assertArrayEquals(values(p, 0, i), values(p, r, i), 0f);
            }
        }
        org.junit.jupiter.api.Assertions.assertSame(block.getParameters().get(0).getValue().getArray(), p.mirror(0, 0), "replica 0 is the network's own array");
    }

    @Test
    public void theUpdateUsesTheSumOfEveryReplicasGradientAndReachesEveryReplica() {
        Parameters p = new Parameters(block, manager, new Device[]{Device.cpu()}, 3);
        float[][] before = {values(p, 0, 0), values(p, 0, 1)};
        backward(p, new float[]{1f, 2f, 4f});
        assertNull(p.step(server, 1.0));
        for (int i = 0; i < 2; i++) {
            for (int r = 0; r < 3; r++) {
                float[] after = values(p, r, i);
                for (int k = 0; k < after.length; k++) {
                    // Without the reduction the update would use replica 0's gradient only: w - 1.
                    assertEquals(before[i][k] - 7f, after[k], 0f, "replica " + r + ", parameter " + i + ", element " + k);
                }
            }
        }
        // Gradients are then zeroed on every replica.
        p.zeroGradients();
        for (int r = 0; r < 3; r++) {
            assertEquals(0f, p.mirror(r, 0).getGradient().abs().sum().getFloat(), 0f);
        }
    }

    @Test
    public void aNaNGradientOnANonFirstReplicaIsCaughtBeforeAnyUpdate() {
        Parameters p = new Parameters(block, manager, new Device[]{Device.cpu()}, 2);
        float[] before = values(p, 0, 0);
        backward(p, new float[]{1f, Float.NaN});
        assertEquals("gradient of weight", p.step(server, 1.0));
        assertArrayEquals(before, values(p, 0, 0), 0f, "no parameter changed");
    }

    @Test
    public void gradientsFiniteOnEachReplicaButInfiniteInTheirSumAreCaught() {
        Parameters p = new Parameters(block, manager, new Device[]{Device.cpu()}, 2);
        backward(p, new float[]{3e38f, 3e38f});
        assertEquals("gradient of weight", p.step(server, 1.0));
    }

    @Test
    public void djlsUpdateContractReducesUpdatesAndCopiesBack() {
        NDArray[] grads = {manager.create(new float[]{1, 2}), manager.create(new float[]{10, 20}), manager.create(new float[]{100, 200})};
        NDArray[] params = {manager.create(new float[]{0, 0}), manager.create(new float[]{5, 5}), manager.create(new float[]{7, 7})};
        server.setLearningRate(1.0);
        server.update("w", grads, params);
        assertArrayEquals(new float[]{111, 222}, grads[0].toFloatArray(), 0f, "summed onto the first replica");
        for (NDArray w : params) {
            assertArrayEquals(new float[]{-111, -222}, w.toFloatArray(), 0f);
        }
    }

    /** Runs {@code action} under libtorch's profiler and returns how many ops named {@code op} ran. */
    private static int opsRun(Runnable action, String op, java.nio.file.Path dir) throws java.io.IOException {
        java.nio.file.Path trace = dir.resolve("trace.json");
        ai.djl.pytorch.jni.JniUtils.startProfile(false, false, false);
        try {
            action.run();
        } finally {
            ai.djl.pytorch.jni.JniUtils.stopProfile(trace.toString());
        }
        String json = java.nio.file.Files.readString(trace);
        return json.split("\"name\": ?\"" + java.util.regex.Pattern.quote(op) + "\"", -1).length - 1;
    }

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path tmp;

    /**
     * A healthy step checks the gradients and the parameters with one fused sum each: no per-array
     * {@code abs}/{@code max} (the per-array check runs {@code abs} and {@code max} on each array of
     * each group: 4 of each here).
     */
    @Test
    public void aHealthyStepChecksWithOneSumPerGroupAndNoPerArrayOps() throws java.io.IOException {
        Parameters p = new Parameters(block, manager, new Device[]{Device.cpu()}, 1);
        backward(p, new float[]{1f});
        String[] result = new String[1];
        assertEquals(0, opsRun(() -> result[0] = p.step(server, 1.0), "aten::abs", tmp));
        assertNull(result[0]);
        backward(p, new float[]{1f});
        // One concatenation (then one sum) of the gradients, one of the parameters.
        assertEquals(2, opsRun(() -> p.step(server, 1.0), "aten::cat", tmp));
    }

    /** Each kind of non-finite value, in any array, is found and the right array is named. */
    @Test
    public void theFusedCheckFindsEachKindOfNonFiniteValueAndNamesItsArray() {
        float[][] kinds = {{Float.NaN}, {Float.POSITIVE_INFINITY}, {Float.NEGATIVE_INFINITY}};
        for (float[] kind : kinds) {
            for (int at = 0; at < 3; at++) {
                java.util.List<NDArray> arrays = new java.util.ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    arrays.add(manager.create(i == at ? new float[][]{{1f, kind[0]}, {2f, 3f}} : new float[][]{{1f, 2f}, {3f, 4f}}));
                }
                assertEquals(at, Parameters.firstNonFinite(arrays), kind[0] + " in array " + at);
            }
        }
        // +inf and -inf in different arrays sum to NaN: still found, the first one named.
        assertEquals(1, Parameters.firstNonFinite(java.util.List.of(manager.create(new float[]{1f}),
                manager.create(new float[]{Float.POSITIVE_INFINITY}), manager.create(new float[]{Float.NEGATIVE_INFINITY}))));
        assertEquals(-1, Parameters.firstNonFinite(java.util.List.of(manager.create(new float[]{1f, -2f}), manager.create(new float[]{0f}))));
    }

    /**
     * Finite values whose sum overflows float32 make the fused sum infinite; the per-array check
     * that follows finds every value finite, so it is no divergence (as with the per-array check alone).
     */
    @Test
    public void aSumOfFiniteValuesThatOverflowsIsNotReported() {
        java.util.List<NDArray> huge = java.util.List.of(manager.create(new float[]{3e38f, 3e38f}), manager.create(new float[]{3e38f}));
        org.junit.jupiter.api.Assertions.assertFalse(Parameters.sumIsFinite(huge), "the fused sum overflows");
        assertEquals(-1, Parameters.firstNonFinite(huge));
    }
}
