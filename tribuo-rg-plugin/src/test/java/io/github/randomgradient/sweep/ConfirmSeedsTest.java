package io.github.randomgradient.sweep;

import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.config.property.ListProperty;
import com.oracle.labs.mlrg.olcut.config.property.Property;
import com.oracle.labs.mlrg.olcut.config.property.SimpleProperty;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The confirm stage's seeds of a {@link Sweep}: the list form, the count form with its default first
 * seed, and the refusals (overlap with the tuning seeds, a repeated seed, both forms at once).
 * Planning is not needed: {@code postConfig} decides all of it.
 */
public class ConfirmSeedsTest {

    private static Sweep sweep(long[] seeds, Map<String, Property> extra) {
        ConfigurationManager cm = new ConfigurationManager();
        Map<String, Property> p = new LinkedHashMap<>();
        p.put("trainer", new SimpleProperty("t"));
        p.put("trainSource", new SimpleProperty("train"));
        p.put("testSource", new SimpleProperty("test"));
        p.put("seeds", list(seeds));
        p.putAll(extra);
        cm.addConfiguration(new ConfigurationData("s", Sweep.class.getName(), p));
        return (Sweep) cm.lookup("s");
    }

    private static ListProperty list(long... values) {
        return ListProperty.createFromStringList(Arrays.stream(values).mapToObj(Long::toString).toList());
    }

    private static String refusal(long[] seeds, Map<String, Property> extra) {
        PropertyException e = assertThrows(PropertyException.class, () -> sweep(seeds, extra));
        return e.getProperty() + ": " + e.getMsg();
    }

    @Test
    public void withoutConfirmSeedsThereIsNoConfirmStage() {
        Sweep s = sweep(new long[]{1, 2}, Map.of());
        assertFalse(s.hasConfirmStage());
        assertEquals(0, s.getConfirmSeeds().length);
    }

    @Test
    public void listAndCountForms() {
        Sweep listed = sweep(new long[]{1, 2}, Map.of("confirmSeeds", list(101, 7, 102)));
        assertTrue(listed.hasConfirmStage());
        assertArrayEquals(new long[]{101, 7, 102}, listed.getConfirmSeeds());
        // The count form starts one above the largest tuning seed unless told otherwise.
        Sweep counted = sweep(new long[]{5, 1, 3}, Map.of("confirmSeedCount", new SimpleProperty("3")));
        assertArrayEquals(new long[]{6, 7, 8}, counted.getConfirmSeeds());
        Sweep from = sweep(new long[]{1, 2}, Map.of("confirmSeedCount", new SimpleProperty("2"),
                "firstConfirmSeed", new SimpleProperty("-10")));
        assertArrayEquals(new long[]{-10, -9}, from.getConfirmSeeds());
    }

    @Test
    public void overlapWithTheTuningSeedsIsRefusedNamingTheFieldAndTheSeeds() {
        String listed = refusal(new long[]{1, 2, 3}, Map.of("confirmSeeds", list(3, 101, 1)));
        assertTrue(listed.startsWith("confirmSeeds: "), listed);
        assertTrue(listed.contains("[3, 1] are also in seeds [1, 2, 3]"), listed);
        String counted = refusal(new long[]{1, 2, 3}, Map.of("confirmSeedCount", new SimpleProperty("5"),
                "firstConfirmSeed", new SimpleProperty("2")));
        assertTrue(counted.startsWith("confirmSeedCount: "), counted);
        assertTrue(counted.contains("[2, 3] are also in seeds [1, 2, 3]") && counted.contains("firstConfirmSeed above 3"), counted);
    }

    @Test
    public void otherBadConfirmSeedsAreRefused() {
        assertTrue(refusal(new long[]{1}, Map.of("confirmSeeds", list(5, 6, 5))).contains("found 5 twice"));
        String both = refusal(new long[]{1}, Map.of("confirmSeeds", list(5), "confirmSeedCount", new SimpleProperty("2")));
        assertTrue(both.contains("either as confirmSeeds [5] or as confirmSeedCount 2, not both"), both);
        assertTrue(refusal(new long[]{1}, Map.of("confirmSeedCount", new SimpleProperty("-1"))).contains("found -1"));
        assertTrue(refusal(new long[]{1}, Map.of("firstConfirmSeed", new SimpleProperty("100"))).startsWith("firstConfirmSeed: "));
        String overflow = refusal(new long[]{1}, Map.of("confirmSeedCount", new SimpleProperty("3"),
                "firstConfirmSeed", new SimpleProperty(Long.toString(Long.MAX_VALUE - 1))));
        assertTrue(overflow.contains("run past the largest long seed"), overflow);
        // One confirm seed gives no paired test at all: the whole stage would train for nothing.
        assertEquals("confirmSeeds: a confirm stage needs at least 2 seeds (its verdicts are paired tests over seeds), found "
                + "confirmSeeds [101]: give 2 or more, or none for no confirm stage", refusal(new long[]{1}, Map.of("confirmSeeds", list(101))));
        assertTrue(refusal(new long[]{1}, Map.of("confirmSeedCount", new SimpleProperty("1")))
                .startsWith("confirmSeedCount: a confirm stage needs at least 2 seeds"));
    }

    @Test
    public void estimatesFromMeasuredTimes() {
        SweepStages.Measured none = new SweepStages.Measured(OptionalDouble.empty(), 0, "nothing");
        assertEquals("time not yet known (no run measured)", none.estimate(4, 2));
        assertEquals("nothing to train", none.estimate(0, 2));
        // 7 runs, 2 at a time: 4 rounds of 10 s.
        SweepStages.Measured ten = new SweepStages.Measured(OptionalDouble.of(10), 3, "x");
        assertEquals("about 0m40s (10.0 s per run, 2 at a time, from the x)", ten.estimate(7, 2));
        // 10 runs on 2 workers in 50 s: 5 rounds, so 10 s per run per worker.
        SweepStages.Measured wall = SweepStages.Measured.wall(50, 10, 2);
        assertEquals(10.0, wall.meanSeconds().getAsDouble(), 1e-12);
        assertEquals(List.of("[1, 2, 3]", "[101 .. 140]"), List.of(SweepStages.seedList(new long[]{1, 2, 3}),
                SweepStages.seedList(java.util.stream.LongStream.rangeClosed(101, 140).toArray())));
    }

    @Test
    public void autoConfirmSeedsListTheCandidatesUpToTheCapAndRunAPrefix() {
        Sweep s = sweep(new long[]{1, 2}, Map.of("autoConfirmSeeds", new SimpleProperty("true"), "maxConfirmSeeds", new SimpleProperty("5")));
        assertTrue(s.hasConfirmStage());
        assertTrue(s.isAutoConfirmSeeds());
        assertArrayEquals(new long[]{3, 4, 5, 6, 7}, s.getConfirmSeeds());
        assertArrayEquals(new long[]{3, 4, 5}, s.confirmSeeds(3));
        assertArrayEquals(new long[]{3, 4, 5, 6, 7}, s.confirmSeeds(9));
        Sweep defaults = sweep(new long[]{1, 2}, Map.of("autoConfirmSeeds", new SimpleProperty("true")));
        assertEquals(40, defaults.getConfirmSeeds().length);
        assertEquals(4, defaults.getEvaluationsPerEpoch());
        assertEquals(0.95, defaults.getTargetFraction(), 0.0);
    }

    @Test
    public void autoConfirmSeedsAndTheNewFieldsRefuseBadValuesNamingTheField() {
        assertTrue(refusal(new long[]{1, 2}, Map.of("autoConfirmSeeds", new SimpleProperty("true"), "confirmSeeds", list(101)))
                .startsWith("autoConfirmSeeds: autoConfirmSeeds chooses the confirm seed count itself: remove confirmSeeds [101]"));
        assertTrue(refusal(new long[]{1, 2}, Map.of("autoConfirmSeeds", new SimpleProperty("true"), "firstConfirmSeed", new SimpleProperty("2")))
                .startsWith("autoConfirmSeeds: the confirm stage's seeds must be fresh, but [2] is also in seeds [1, 2]"));
        assertTrue(refusal(new long[]{1, 2}, Map.of("maxConfirmSeeds", new SimpleProperty("1")))
                .startsWith("maxConfirmSeeds: maxConfirmSeeds must be >= 2"));
        assertEquals("targetFraction: targetFraction must be in (0, 1], found 1.5",
                refusal(new long[]{1, 2}, Map.of("targetFraction", new SimpleProperty("1.5"))));
        assertEquals("evaluationsPerEpoch: evaluationsPerEpoch must be >= 0 (0 keeps the trainer's), found -1",
                refusal(new long[]{1, 2}, Map.of("evaluationsPerEpoch", new SimpleProperty("-1"))));
    }
}
