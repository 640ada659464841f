package io.github.randomgradient.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import io.github.randomgradient.data.IdxDirectory;
import io.github.randomgradient.djl.DJLEngine;
import io.github.randomgradient.history.TrainingHistory;
import io.github.randomgradient.run.RunFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SegmentationRgExampleTest {

    @Test
    void pixelCrossEntropyUsesClassAxisOne() {
        DJLEngine.engine(1);
        // logits [N=2, C=3, H=1, W=2] and labels [N, 1, H, W] (DJL picks along the class axis, so labels keep it)
        float[] z = {
                1, -1, /* class 0 */ 0, 2, /* class 1 */ -2, 0.5f, /* class 2 */
                0.3f, 0, 0.1f, 0, 3, 0};
        int[] y = {0, 1, 2, 0};
        double expected = 0;
        for (int n = 0; n < 2; n++) {
            for (int w = 0; w < 2; w++) {
                double norm = 0;
                for (int c = 0; c < 3; c++) {
                    norm += Math.exp(z[n * 6 + c * 2 + w]);
                }
                int label = y[n * 2 + w];
                expected += -(z[n * 6 + label * 2 + w] - Math.log(norm));
            }
        }
        expected /= 4;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList logits = new NDList(manager.create(z, new Shape(2, 3, 1, 2)));
            NDList labels = new NDList(manager.create(y, new Shape(2, 1, 1, 2)).toType(DataType.INT64, false));
            NDArray value = SegmentationRgExample.pixelCrossEntropy().evaluate(labels, logits);
            assertEquals(expected, value.getFloat(), 1e-6);
            // DJL's default class axis is the last one: for NCHW logits that is a different, wrong number
            // (it treats W as the class axis and would accept labels [N, C, H, 1] without complaint)
            NDArray lastAxis = Loss.softmaxCrossEntropyLoss().evaluate(
                    new NDList(manager.zeros(new Shape(2, 3, 1, 1), DataType.INT64)), logits);
            assertNotEquals(expected, lastAxis.getFloat(), 1e-3);
        }
    }

    @Test
    void masksAndIoU() {
        float[] image = new float[FashionMnistArrays.PIXELS];
        for (int r = 10; r < 14; r++) {
            for (int c = 10; c < 14; c++) {
                image[r * 28 + c] = 0.5f;
            }
        }
        int[] mask = SegmentationRgExample.masks(image, 1);
        int[] counts = new int[3];
        for (int m : mask) {
            counts[m]++;
        }
        assertArrayEquals(new int[]{784 - 16, 12, 4}, counts);
        assertEquals(SegmentationRgExample.BODY, mask[11 * 28 + 11]);
        assertEquals(SegmentationRgExample.EDGE, mask[10 * 28 + 12]);
        // IoU by hand: class 0: 1/2, class 1: 1/3, class 2: 1/2
        double[] iou = SegmentationRgExample.classIoU(new int[]{0, 0, 1, 2, 2}, new int[]{0, 1, 1, 2, 0});
        assertArrayEquals(new double[]{1.0 / 3, 1.0 / 2, 1.0 / 2}, iou, 1e-15);
    }

    @Test
    void shortenedComparison(@TempDir Path output) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SegmentationRgExample.Settings settings = new SegmentationRgExample.Settings(256, 64, 2, 32, 0.05f, new long[]{1});
        List<SegmentationRgExample.Result> results = SegmentationRgExample.run(IdxDirectory.of(Path.of("..").resolve(IdxDirectory.BUNDLED)), output,
                settings, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(2, results.size(), printed);
        for (SegmentationRgExample.Result r : results) {
            // 256 images in 8 mini-batches per epoch: a trivial all-background guess has mean IoU < 0.3
            assertTrue(r.meanIoU() > 0.45, r.arm() + " " + r.meanIoU());
            TrainingHistory history = RunFiles.of(output, r.arm(), r.seed()).readHistory().orElseThrow();
            assertEquals(r.history(), history);
            assertEquals(2, history.epochs().size());
            assertEquals(8, history.epochs().get(0).steps());
            assertEquals("PixelAccuracy", history.metric());
            assertTrue(Files.isRegularFile(RunFiles.of(output, r.arm(), r.seed()).file("rg-loss-provenance.json")));
        }
        assertEquals(1.0, results.get(0).history().meanLossScale(), 0.0);
        assertTrue(results.get(1).history().meanLossScale() < 1.0);
        assertTrue(printed.contains("| rg |"), printed);
        assertTrue(Files.readString(output.resolve("summary.md")).contains("| baseline |"));
    }
}
