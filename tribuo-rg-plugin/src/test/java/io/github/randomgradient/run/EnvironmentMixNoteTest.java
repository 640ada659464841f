package io.github.randomgradient.run;

import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import io.github.randomgradient.config.NumericEnvironment;
import org.junit.jupiter.api.Test;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.baseline.DummyClassifierTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report's sentence for runs computed in more than one numeric environment
 * ({@link EnvironmentChange#mixNote}): none for one environment or for runs that recorded none,
 * the count and the runs per environment digest otherwise.
 */
public class EnvironmentMixNoteTest {

    private static NumericEnvironment env(String isa) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(NumericEnvironment.CPU, "Test CPU");
        fields.put(NumericEnvironment.ONEDNN, isa);
        fields.put(NumericEnvironment.LIBTORCH, "2.7.1");
        return NumericEnvironment.of(fields);
    }

    /** A model whose run provenance records the environment, or nothing when {@code env} is null. */
    private static ModelProvenance model(NumericEnvironment env) {
        MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance("test", new LabelFactory()), new LabelFactory());
        data.add(new ArrayExample<>(new Label("a"), new String[]{"x"}, new double[]{1}));
        data.add(new ArrayExample<>(new Label("b"), new String[]{"x"}, new double[]{2}));
        Map<String, Provenance> run = env == null ? Map.of()
                : Map.of(NumericEnvironment.PROVENANCE_KEY, new StringProvenance(NumericEnvironment.PROVENANCE_KEY, env.canonical()));
        return DummyClassifierTrainer.createMostFrequentTrainer().train(data, run).getProvenance();
    }

    @Test
    public void oneEnvironmentOrNoneRecordedGivesNoSentence() {
        NumericEnvironment avx512 = env("auto");
        assertEquals(Optional.empty(), EnvironmentChange.mixNote(Map.of("runs/a/seed-1", model(avx512), "runs/b/seed-1", model(avx512))));
        assertEquals(Optional.empty(), EnvironmentChange.mixNote(Map.of("runs/a/seed-1", model(avx512), "runs/b/seed-1", model(null))),
                "a run without a record is not counted as another environment");
        assertEquals(Optional.empty(), EnvironmentChange.mixNote(Map.of()));
    }

    @Test
    public void twoEnvironmentsAreNamedWithTheirRunCounts() {
        NumericEnvironment here = env("auto");
        NumericEnvironment there = env("AVX2");
        Map<String, ModelProvenance> runs = new LinkedHashMap<>();
        runs.put("runs/a/seed-1", model(here));
        runs.put("runs/a/seed-2", model(here));
        runs.put("runs/b/seed-1", model(there));
        String note = EnvironmentChange.mixNote(runs).orElseThrow();
        assertTrue(note.startsWith("these runs were computed in 2 numeric environments ("), note);
        assertTrue(note.contains(here.digest() + ": 2 runs"), note);
        assertTrue(note.contains(there.digest() + ": 1 run;"), note);
        assertTrue(note.contains("rerun with --reproducible"), note);
    }

    @Test
    public void oneSharedEnvironmentIsRecordedWithItsMode() {
        NumericEnvironment here = env("auto");
        Map<String, ModelProvenance> runs = new LinkedHashMap<>();
        runs.put("runs/a/seed-1", model(here));
        runs.put("runs/b/seed-1", model(here));
        assertEquals(Optional.of("all 2 runs were computed in numeric environment " + here.digest() + " (this CPU's own kernels: "
                + "another CPU gives other digits; --reproducible pins them)"), EnvironmentChange.sharedNote(runs));
        runs.put("runs/c/seed-1", model(null));
        assertTrue(EnvironmentChange.sharedNote(runs).orElseThrow().startsWith("2 of 3 runs were computed in"));
        runs.put("runs/d/seed-1", model(env("AVX2")));
        assertEquals(Optional.empty(), EnvironmentChange.sharedNote(runs), "a mix is mixNote's");
        assertEquals(Optional.empty(), EnvironmentChange.sharedNote(Map.of("runs/c/seed-1", model(null))));
    }
}
