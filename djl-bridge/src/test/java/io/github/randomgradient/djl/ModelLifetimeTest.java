package io.github.randomgradient.djl;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tribuo.Dataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model's lifetime: {@code close()} waits for predictions in progress (it used to free native
 * memory under them and crash the JVM in libtorch), and a prediction after {@code close()} throws
 * {@link IllegalStateException} naming the model.
 */
public class ModelLifetimeTest {

    private static Dataset<Label> data;
    private static byte[] parameters;

    @BeforeAll
    public static void train() {
        data = TestData.circles(2000, 1L);
        parameters = TestData.mlp().optEpochs(1).build().train(TestData.circles(100, 2L)).getParameterBytes();
    }

    private static DJLModel<Label> freshModel() {
        DJLModel<Label> model = TestData.mlp().optEpochs(1).build().train(TestData.circles(100, 2L));
        assertTrue(java.util.Arrays.equals(parameters, model.getParameterBytes()), "same seed, same model");
        return model;
    }

    @Test
    public void closeDuringPredictionWaitsForIt() throws Exception {
        List<Prediction<Label>> expected = freshModel().predict(data);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            for (int attempt = 0; attempt < 5; attempt++) {
                DJLModel<Label> model = freshModel();
                model.predict(data.getExample(0)); // build the network
                CountDownLatch firstDone = new CountDownLatch(1);
                // The worker predicts over and over, so close() lands in the middle of a prediction.
                Future<Integer> worker = pool.submit(() -> {
                    int completed = 0;
                    try {
                        while (true) {
                            List<Prediction<Label>> got = model.predict(data);
                            for (int i = 0; i < got.size(); i++) {
                                if (!expected.get(i).distributionEquals(got.get(i), 0.0)) {
                                    throw new AssertionError("prediction " + i + " differs after " + completed + " rounds");
                                }
                            }
                            completed++;
                            firstDone.countDown();
                        }
                    } catch (IllegalStateException e) {
                        if (!e.getMessage().contains("DJLModel 'djl-model' has been closed")) {
                            throw e;
                        }
                        return completed;
                    }
                });
                firstDone.await();
                model.close();
                // Every prediction that ran completed with the right values; the first after close() failed cleanly.
                assertTrue(worker.get() >= 1, "attempt " + attempt);
                IllegalStateException after = assertThrows(IllegalStateException.class, () -> model.predict(data.getExample(0)));
                assertTrue(after.getMessage().contains("DJLModel 'djl-model'") && after.getMessage().contains("closed"), after.getMessage());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    public void predictAfterCloseThrowsNamingTheModel() {
        DJLModel<Label> model = freshModel();
        model.close();
        model.close(); // twice is harmless
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> model.predict(data));
        assertTrue(e.getMessage().contains("DJLModel 'djl-model' has been closed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> model.predict(data.getExample(0)));
        // a copy (Tribuo's copy) is a new model with its own network
        assertEquals(data.size(), model.copy("copy", model.getProvenance()).predict(data).size());
    }
}
