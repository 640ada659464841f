package io.github.randomgradient.sweep;

import org.junit.jupiter.api.Test;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.util.Arrays;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stratified validation split: round(fraction × n_c) examples of every class, disjoint from the
 * training part, the same for the same seed.
 */
public class SweepDataTest {

    private static MutableDataset<Label> data() {
        MutableDataset<Label> d = new MutableDataset<>(new SimpleDataSourceProvenance("test", new LabelFactory()), new LabelFactory());
        int[] counts = {20, 10, 5};
        int i = 0;
        for (int c = 0; c < counts.length; c++) {
            for (int k = 0; k < counts[c]; k++) {
                d.add(new ArrayExample<>(new Label("class" + c), new String[]{"x"}, new double[]{i++}));
            }
        }
        return d;
    }

    @Test
    public void holdsOutEachClassInProportion() {
        MutableDataset<Label> d = data();
        int[][] split = SweepData.stratifiedSplit(d, 0.2, 7L);
        int[] heldPerClass = new int[3];
        for (int idx : split[1]) {
            heldPerClass[Integer.parseInt(d.getExample(idx).getOutput().getLabel().substring(5))]++;
        }
        assertArrayEquals(new int[]{4, 2, 1}, heldPerClass);
        assertEquals(35, split[0].length + split[1].length);
        int[] all = IntStream.concat(Arrays.stream(split[0]), Arrays.stream(split[1])).sorted().toArray();
        assertArrayEquals(IntStream.range(0, 35).toArray(), all);
        assertArrayEquals(split[1], SweepData.stratifiedSplit(d, 0.2, 7L)[1]);
        assertFalse(Arrays.equals(split[1], SweepData.stratifiedSplit(d, 0.2, 8L)[1]));
    }

    private static MutableDataset<Label> classes(int... counts) {
        MutableDataset<Label> d = new MutableDataset<>(new SimpleDataSourceProvenance("test", new LabelFactory()), new LabelFactory());
        int i = 0;
        for (int c = 0; c < counts.length; c++) {
            for (int k = 0; k < counts[c]; k++) {
                d.add(new ArrayExample<>(new Label("class" + c), new String[]{"x"}, new double[]{i++}));
            }
        }
        return d;
    }

    @Test
    public void aSplitThatLeavesAClassWithoutValidationOrTrainingImagesIsRefused() {
        // 4 images of a class at fraction 0.1: round(0.4) = 0 held out. 5 images: round(0.5) = 1.
        MutableDataset<Label> four = classes(5, 4);
        SweepException e = assertThrows(SweepException.class,
                () -> SweepData.checkSplit(four, SweepData.stratifiedSplit(four, 0.1, 1L), 0.1, "sweep", "training data 'tiny'"));
        String m = e.getMessage();
        assertTrue(m.contains("sweep 'sweep'") && m.contains("validationFraction=0.1") && m.contains("training data 'tiny'")
                && m.contains("1 of its 9 images for validation") && m.contains("1 of 2 classes")
                && m.contains("'class1': 4 images -> 4 training, 0 validation") && m.contains("at least 5 images"), m);
        // A class of one image at fraction 0.5 is held out whole: no training image.
        MutableDataset<Label> one = classes(4, 1);
        e = assertThrows(SweepException.class,
                () -> SweepData.checkSplit(one, SweepData.stratifiedSplit(one, 0.5, 1L), 0.5, "sweep", "training data 'tiny'"));
        assertTrue(e.getMessage().contains("'class1': 1 images -> 0 training, 1 validation"), e.getMessage());
        MutableDataset<Label> five = classes(5, 5);
        SweepData.checkSplit(five, SweepData.stratifiedSplit(five, 0.1, 1L), 0.1, "sweep", "training data 'tiny'");
    }
}
