package io.github.randomgradient.examples;

import io.github.randomgradient.data.IdxDirectory;
import io.github.randomgradient.history.TrainingHistory;
import io.github.randomgradient.rg.LossScale;
import io.github.randomgradient.rg.UniformLossScale;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EasyTrainRgExampleTest {

    @Test
    void shortenedRun() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        EasyTrainRgExample.Settings settings = new EasyTrainRgExample.Settings(640, 320, 1, 32, 0.05f, 0.9f, 42, true);
        EasyTrainRgExample.Result result = EasyTrainRgExample.run(IdxDirectory.of(Path.of("..").resolve(IdxDirectory.BUNDLED)),
                settings, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String printed = bytes.toString(StandardCharsets.UTF_8);
        // 640 images of 10 classes after 20 steps at momentum 0.9: three times chance (0.1) for both trainers
        assertTrue(result.easyTrainAccuracy() > 0.3, printed);
        assertTrue(result.djlTrainerAccuracy() > 0.3, printed);
        TrainingHistory history = result.history();
        assertEquals("Accuracy", history.metric());
        assertEquals("test", history.heldOutData());
        assertEquals(20, history.epochs().get(0).steps());
        LossScale.Sampler sampler = UniformLossScale.paperDefault().newSampler(new SplittableRandom(42));
        assertEquals(20, result.draws().length);
        for (int i = 0; i < 20; i++) {
            assertEquals(sampler.scale(i), result.draws()[i], 0.0);
        }
        assertTrue(printed.contains("DJLTrainer"), printed);
    }
}
