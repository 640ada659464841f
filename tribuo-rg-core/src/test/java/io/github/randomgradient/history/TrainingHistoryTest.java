package io.github.randomgradient.history;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The held-out curve in a {@link TrainingHistory}: ordered points, a history without points for
 * records written before them, and Java serialisation.
 */
public class TrainingHistoryTest {

    private static final EpochRecord EPOCH = new EpochRecord(1, 4, 0.5, 1.0, 0.75, 0.7, 1.25, 0.1, new float[]{0.6f, 0.5f, 0.5f, 0.4f});

    @Test
    public void historiesWithoutPointsHaveAnEmptyCurve() {
        assertTrue(new TrainingHistory("accuracy", "", List.of(EPOCH), null).evaluations().isEmpty());
        // A Java-serialised history of an earlier build has no 'evaluations' component: it arrives as null.
        assertTrue(new TrainingHistory("accuracy", "test", List.of(EPOCH), null, null).evaluations().isEmpty());
    }

    @Test
    public void pointsMustBeInIncreasingOrderOfStep() {
        EvaluationPoint two = new EvaluationPoint(2, 1, 0.5, 0.5, 0.6, 0.6);
        EvaluationPoint four = new EvaluationPoint(4, 1, 1.0, 1.0, 0.5, 0.7);
        assertEquals(List.of(two, four), new TrainingHistory("accuracy", "validation", List.of(EPOCH), null, List.of(two, four)).evaluations());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TrainingHistory("accuracy", "validation", List.of(EPOCH), null, List.of(four, two)));
        assertTrue(e.getMessage().contains("step 2 after step 4"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new TrainingHistory("accuracy", "validation", List.of(EPOCH), null, List.of(two, two)));
    }

    @Test
    public void aPointIsValidated() {
        assertThrows(IllegalArgumentException.class, () -> new EvaluationPoint(0, 1, 0.5, 0.1, 0.5, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new EvaluationPoint(1, 0, 0.5, 0.1, 0.5, 0.5));
        // The fraction must lie in (epoch - 1, epoch].
        assertThrows(IllegalArgumentException.class, () -> new EvaluationPoint(3, 2, 1.0, 0.1, 0.5, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new EvaluationPoint(3, 2, 2.5, 0.1, 0.5, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new EvaluationPoint(3, 2, Double.NaN, 0.1, 0.5, 0.5));
        // Non-finite held-out values are what a diverging run measured: kept.
        assertTrue(Double.isNaN(new EvaluationPoint(3, 2, 2.0, 0.1, Double.NaN, Double.NaN).heldOutLoss()));
    }

    @Test
    public void theCurveSurvivesJavaSerialisation() throws Exception {
        TrainingHistory h = new TrainingHistory("accuracy", "validation", List.of(EPOCH), null,
                List.of(new EvaluationPoint(2, 1, 0.5, 0.625, 0.55, 0.65), new EvaluationPoint(4, 1, 1.0, 1.25, Double.NaN, 0.7)));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(h);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(h, in.readObject());
        }
    }
}
