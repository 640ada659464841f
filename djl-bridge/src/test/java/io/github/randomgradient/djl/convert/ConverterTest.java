package io.github.randomgradient.djl.convert;

import io.github.randomgradient.djl.block.CNNBlockFactory;
import io.github.randomgradient.djl.block.MLPBlockFactory;
import io.github.randomgradient.djl.block.MobileNetV2BlockFactory;
import io.github.randomgradient.djl.block.ResNetBlockFactory;
import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenancable;
import org.junit.jupiter.api.Test;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.test.Helpers;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Feature and output conversion: pixels placed by index, absent pixels normalised, label ids from
 * the output domain; configuration round trips of every component.
 */
public class ConverterTest {

    private static MutableDataset<Label> dataset(List<ArrayExample<Label>> examples) {
        LabelFactory f = new LabelFactory();
        return new MutableDataset<>(new ListDataSource<>(List.copyOf(examples), f, new SimpleDataSourceProvenance("test", f)));
    }

    @Test
    public void pixelsArePlacedByTheirIndexNotTheirFeatureMapPosition() {
        // A 2x3 image with 2 channels = 12 pixels; only pixels 01, 07 and 11 ever occur (the rest are
        // zero in every image, so Tribuo's IDXDataSource would leave them out of the feature map).
        ArrayExample<Label> a = new ArrayExample<>(new Label("cat"), new String[]{"07", "01"}, new double[]{3.0, 5.0});
        ArrayExample<Label> b = new ArrayExample<>(new Label("dog"), new String[]{"11"}, new double[]{7.0});
        MutableDataset<Label> data = dataset(List.of(a, b));
        ImmutableFeatureMap fmap = data.getFeatureIDMap();
        assertEquals(3, fmap.size());
        ImageConverter conv = new ImageConverter(3, 2, 2, new float[]{1f, 2f}, new float[]{2f, 4f});
        FeatureConverter.Plan plan = conv.plan(fmap);
        assertEquals(12, plan.exampleSize());
        float[] out = new float[24];
        int[] used = plan.fill(List.of(a, b), out);
        assertArrayEquals(new int[]{2, 1}, used);
        // channel 0 (indices 0-5): (x - 1) / 2, absent -> -0.5; channel 1 (6-11): (x - 2) / 4, absent -> -0.5
        float[] expectedA = {-0.5f, 2.0f, -0.5f, -0.5f, -0.5f, -0.5f, -0.5f, 0.25f, -0.5f, -0.5f, -0.5f, -0.5f};
        float[] expectedB = {-0.5f, -0.5f, -0.5f, -0.5f, -0.5f, -0.5f, -0.5f, -0.5f, -0.5f, -0.5f, -0.5f, 1.25f};
        float[] gotA = java.util.Arrays.copyOfRange(out, 0, 12);
        float[] gotB = java.util.Arrays.copyOfRange(out, 12, 24);
        assertArrayEquals(expectedA, gotA, 0f);
        assertArrayEquals(expectedB, gotB, 0f);
    }

    @Test
    public void trainingDataMustNameExactlyThePixelsOfTheImage() {
        // 2x2 images: 4 pixels. Data of 3 pixels (a smaller image, or one pixel left out) and of 9
        // (a 3x3 image) are both refused, naming the expected and found pixels; exactly 4 is accepted.
        ImageConverter conv = new ImageConverter(2, 2, 1);
        MutableDataset<Label> three = dataset(List.of(new ArrayExample<>(new Label("a"), new String[]{"0", "1", "2"},
                new double[]{1, 2, 3})));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> conv.exampleShape(three.getFeatureIDMap()));
        assertTrue(e.getMessage().contains("[channels=1, height=2, width=2] (4 pixels)") && e.getMessage().contains("3 pixel features"),
                e.getMessage());
        String[] nine = {"0", "1", "2", "3", "4", "5", "6", "7", "8"};
        MutableDataset<Label> big = dataset(List.of(new ArrayExample<>(new Label("a"), nine, new double[]{1, 2, 3, 4, 5, 6, 7, 8, 9})));
        e = assertThrows(IllegalArgumentException.class, () -> conv.exampleShape(big.getFeatureIDMap()));
        assertTrue(e.getMessage().contains("9 pixel features") && e.getMessage().contains("images of 3x3"), e.getMessage());
        MutableDataset<Label> four = dataset(List.of(new ArrayExample<>(new Label("a"), new String[]{"0", "1", "2", "3"},
                new double[]{1, 2, 3, 4})));
        assertArrayEquals(new long[]{1, 2, 2}, conv.exampleShape(four.getFeatureIDMap()));
        // A plan over the 4 pixels refuses an example with a pixel outside the image, and ignores nothing silently.
        ArrayExample<Label> outside = new ArrayExample<>(new Label("a"), new String[]{"0", "7"}, new double[]{1, 2});
        e = assertThrows(IllegalArgumentException.class, () -> conv.plan(four.getFeatureIDMap()).fill(List.of(outside), new float[4]));
        assertTrue(e.getMessage().contains("feature '7'"), e.getMessage());
    }

    @Test
    public void channelsLastPixelsAreTransposedToChannelsFirst() {
        // A 2x1 RGB image stored channels-last: index i = (h*W + w)*C + c, value = index.
        String[] names = {"0", "1", "2", "3", "4", "5"};
        ArrayExample<Label> a = new ArrayExample<>(new Label("x"), names, new double[]{10, 11, 12, 13, 14, 15});
        MutableDataset<Label> data = dataset(List.of(a));
        ImageConverter conv = new ImageConverter(2, 1, 3, new float[0], new float[0], true);
        float[] out = new float[6];
        conv.plan(data.getFeatureIDMap()).fill(List.of(a), out);
        // [C, H, W]: channel 0 holds pixels 0 and 3, channel 1 pixels 1 and 4, channel 2 pixels 2 and 5.
        assertArrayEquals(new float[]{10, 13, 11, 14, 12, 15}, out, 0f);
    }

    @Test
    public void unplaceableFeaturesAreNamed() {
        MutableDataset<Label> outside = dataset(List.of(new ArrayExample<>(new Label("a"), new String[]{"12"}, new double[]{1.0}),
                new ArrayExample<>(new Label("b"), new String[]{"3"}, new double[]{1.0})));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ImageConverter(3, 2, 2).plan(outside.getFeatureIDMap()));
        assertTrue(e.getMessage().contains("feature '12'") && e.getMessage().contains("pixel index 12"), e.getMessage());
        MutableDataset<Label> named = dataset(List.of(new ArrayExample<>(new Label("a"), new String[]{"brightness"}, new double[]{1.0})));
        e = assertThrows(IllegalArgumentException.class, () -> new ImageConverter(3, 2, 2).plan(named.getFeatureIDMap()));
        assertTrue(e.getMessage().contains("feature 'brightness'"), e.getMessage());
    }

    @Test
    public void labelIndicesComeFromTheOutputDomain() {
        MutableDataset<Label> data = dataset(List.of(
                new ArrayExample<>(new Label("zebra"), new String[]{"x"}, new double[]{1.0}),
                new ArrayExample<>(new Label("ant"), new String[]{"x"}, new double[]{2.0}),
                new ArrayExample<>(new Label("mole"), new String[]{"x"}, new double[]{3.0})));
        ImmutableOutputInfo<Label> info = data.getOutputIDInfo();
        LabelConverter conv = new LabelConverter();
        float[] targets = new float[3];
        conv.fillTargets(data.getData(), info, targets);
        for (int i = 0; i < 3; i++) {
            assertEquals(info.getID(data.getExample(i).getOutput()), (int) targets[i]);
        }
        // logits favouring id of "mole"
        int mole = info.getID(new Label("mole"));
        float[] logits = new float[3];
        logits[mole] = 5f;
        Prediction<Label> p = conv.toPrediction(logits, info, 1, data.getExample(0));
        assertEquals("mole", p.getOutput().getLabel());
        double sum = p.getOutputScores().values().stream().mapToDouble(Label::getScore).sum();
        assertEquals(1.0, sum, 1e-12);
        assertEquals(Math.exp(5) / (Math.exp(5) + 2), p.getOutput().getScore(), 1e-9);
    }

    @Test
    public void everyComponentRoundTripsThroughConfigurationAndProvenance() {
        roundTrip(new DenseFeatureConverter());
        roundTrip(new ImageConverter(28, 28, 1, new float[]{72.94f}, new float[]{90.02f}));
        roundTrip(new LabelConverter());
        roundTrip(new RegressorConverter());
        roundTrip(new MLPBlockFactory(MLPBlockFactory.ActivationType.GELU, 64, 32));
        roundTrip(new CNNBlockFactory(new int[]{8, 16, 32}, 5, true, 0, 0.25f));
        roundTrip(new ResNetBlockFactory(34));
        roundTrip(new MobileNetV2BlockFactory());
    }

    private static <C extends Configurable & Provenancable<ConfiguredObjectProvenance>> void roundTrip(C component) {
        Helpers.testConfigurableRoundtrip(component);
        Helpers.testProvenanceMarshalling(component.getProvenance());
    }
}
