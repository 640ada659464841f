package io.github.randomgradient.examples;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.github.randomgradient.data.IdxDirectory;
import io.github.randomgradient.djl.DJLEngine;
import io.github.randomgradient.history.TrainingHistory;
import io.github.randomgradient.run.RunFiles;
import io.github.randomgradient.rg.ConstantLossScale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GanRgExampleTest {

    private static final int N = 16;

    private static NDArray fixed(NDManager manager, long seed, long cols) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[Math.toIntExact(N * cols)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (2 * r.nextDouble() - 1);
        }
        return manager.create(v, new Shape(N, cols));
    }

    private static List<float[]> parameters(ai.djl.Model model) {
        List<float[]> out = new ArrayList<>();
        for (Parameter p : model.getBlock().getParameters().values()) {
            out.add(p.getArray().toFloatArray());
        }
        return out;
    }

    /**
     * D step, G step with factor u, then a D step on fixed real and fake batches: returns D's
     * parameters after it, and G's after the G step.
     */
    private static List<List<float[]>> iteration(double u, boolean freeze) {
        DJLEngine.engine(1);
        Engine.getInstance().setRandomSeed(3);
        try (NDManager manager = NDManager.newBaseManager();
             GanRgExample.Gan gan = new GanRgExample.Gan(new ConstantLossScale(u), 1, N)) {
            gan.discriminatorStep(fixed(manager, 1, 784), fixed(manager, 2, GanRgExample.LATENT));
            gan.generatorStep(fixed(manager, 3, GanRgExample.LATENT), freeze);
            List<float[]> g = parameters(gan.generator);
            gan.discriminatorUpdate(fixed(manager, 4, 784), fixed(manager, 5, 784));
            return List.of(parameters(gan.discriminator), g);
        }
    }

    private static boolean same(List<float[]> a, List<float[]> b) {
        for (int i = 0; i < a.size(); i++) {
            if (!java.util.Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Test
    void discriminatorUpdateDoesNotDependOnTheGeneratorFactor() {
        List<List<float[]>> one = iteration(1.0, true);
        List<List<float[]>> quarter = iteration(0.25, true);
        assertTrue(same(one.get(0), quarter.get(0)), "D's update changed with G's loss scale");
        assertFalse(same(one.get(1), quarter.get(1)), "G's update should depend on its loss scale");
        // The DJL fact behind the freeze: without it, G's step leaves u-scaled gradients on D that
        // D's next update adds in.
        List<List<float[]>> leakyOne = iteration(1.0, false);
        List<List<float[]>> leakyQuarter = iteration(0.25, false);
        assertFalse(same(leakyOne.get(0), leakyQuarter.get(0)));
    }

    @Test
    void shortenedComparison(@TempDir Path output) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<GanRgExample.Result> results = GanRgExample.run(IdxDirectory.of(Path.of("..").resolve(IdxDirectory.BUNDLED)),
                output, new GanRgExample.Settings(256, 2, 64, 1), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals(2, results.size(), bytes.toString(StandardCharsets.UTF_8));
        for (GanRgExample.Result r : results) {
            assertEquals(8, r.discriminatorLosses().length);
            assertEquals(8, r.generatorLosses().length);
            for (int i = 0; i < 8; i++) {
                assertTrue(Float.isFinite(r.discriminatorLosses()[i]) && r.discriminatorLosses()[i] > 0);
                assertTrue(Float.isFinite(r.generatorLosses()[i]) && r.generatorLosses()[i] > 0);
            }
            TrainingHistory history = RunFiles.of(output, r.arm(), 1).readHistory().orElseThrow();
            assertEquals(r.generatorHistory(), history);
            assertEquals(2, history.epochs().size());
            assertTrue(r.nearestNeighbourDistance() > 0 && Double.isFinite(r.nearestNeighbourDistance()));
            BufferedImage grid = ImageIO.read(r.grid().toFile());
            assertEquals(8 * 30 + 2, grid.getWidth());
            assertEquals(8 * 30 + 2, grid.getHeight());
        }
        assertEquals(1.0, results.get(0).generatorHistory().meanLossScale(), 0.0);
        double rgScale = results.get(1).generatorHistory().meanLossScale();
        assertTrue(rgScale > 0 && rgScale < 1, "mean RG factor " + rgScale);
    }
}
