package io.github.randomgradient.report;

import io.github.randomgradient.report.ReportData.DiffRow;
import io.github.randomgradient.report.ReportData.ProvenanceDiff;

import io.github.randomgradient.run.LoadedRun;
import io.github.randomgradient.run.ProvenanceFacts;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.Map;
import java.util.Set;

/**
 * The provenance diff of a {@link ComparisonReport}: the trainer-configuration values that differ
 * between trainers, the training data each trainer used, and the settings every trainer shares.
 */
final class ProvenanceDiffs {

    private ProvenanceDiffs() {}

    /** Is a flattened trainer-provenance key a configuration value (not a seed, not a time stamp or counter)? */
    private static boolean isConfiguration(String key) {
        return !ProvenanceFacts.isVolatile(key) && !key.equals("seed") && !key.endsWith(".seed");
    }

    static Map<String, String> configuration(ProvenanceFacts facts) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : facts.trainerFields().entrySet()) {
            if (isConfiguration(e.getKey())) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    static ProvenanceDiff provenanceDiff(Map<String, List<LoadedRun>> byTrainer) {
        Map<String, Map<String, String>> configs = new LinkedHashMap<>();
        Set<String> keys = new LinkedHashSet<>();
        for (Map.Entry<String, List<LoadedRun>> e : byTrainer.entrySet()) {
            Map<String, String> config = configuration(e.getValue().get(0).facts());
            configs.put(e.getKey(), config);
            keys.addAll(config.keySet());
        }
        List<DiffRow> rows = new ArrayList<>();
        for (String key : keys) {
            Map<String, String> values = new LinkedHashMap<>();
            for (Map.Entry<String, Map<String, String>> e : configs.entrySet()) {
                values.put(e.getKey(), e.getValue().getOrDefault(key, ReportData.MISSING));
            }
            if (new HashSet<>(values.values()).size() > 1) {
                rows.add(new DiffRow(key, values));
            }
        }
        Map<String, String> hashes = new LinkedHashMap<>();
        Set<String> allHashes = new LinkedHashSet<>();
        for (Map.Entry<String, List<LoadedRun>> e : byTrainer.entrySet()) {
            Set<String> trainerHashes = new LinkedHashSet<>();
            for (LoadedRun r : e.getValue()) {
                trainerHashes.add(r.facts().dataHash());
            }
            allHashes.addAll(trainerHashes);
            hashes.put(e.getKey(), String.join(" | ", trainerHashes));
        }
        if (byTrainer.values().stream().flatMap(List::stream).map(r -> r.facts().dataIdentity()).distinct().count() > 1) {
            // Paired (or pooled) statistics over runs on different data would compare the data, not the trainers.
            throw new IllegalArgumentException("the runs trained on different data (data hash per trainer: " + hashes
                    + "): a report compares trainers on the same data; build one report per data set");
        }
        boolean same = allHashes.size() == 1;
        String note;
        String source = byTrainer.values().iterator().next().get(0).facts().dataSource();
        if (allHashes.contains("none recorded")) {
            note = "no run recorded a hash of its training data, so it cannot be confirmed that all runs used the same "
                    + "data (first run's data source: " + source + ")";
        } else {
            LoadedRun first = byTrainer.values().iterator().next().get(0);
            note = "all runs trained on the same data, " + source + ", and were tested on " + first.record().testExamples()
                    + " examples (" + allHashes.iterator().next() + ")";
        }
        String shared = sharedSettings(byTrainer);
        if (!shared.isEmpty()) {
            note += "; settings shared by every trainer: " + shared;
        }
        return new ProvenanceDiff(new ArrayList<>(byTrainer.keySet()), rows, hashes, same, note);
    }

    /**
     * The common optimisation settings, listed when every trainer records the same value. The optimiser,
     * momentum, weight decay and schedule are asked of the recorded components ({@link ProvenanceFacts}
     * rebuilds them), falling back to the recorded names for trainers without them.
     */
    private static String sharedSettings(Map<String, List<LoadedRun>> byTrainer) {
        Map<String, Function<ProvenanceFacts, Optional<String>>> settings = new LinkedHashMap<>();
        settings.put("epochs", ProvenanceFacts::epochs);
        settings.put("batch size", ProvenanceFacts::batchSize);
        settings.put("optimiser", ProvenanceFacts::optimiser);
        settings.put("momentum", ProvenanceFacts::momentumValue);
        settings.put("weight decay", ProvenanceFacts::weightDecayValue);
        settings.put("schedule", ProvenanceFacts::schedule);
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Function<ProvenanceFacts, Optional<String>>> setting : settings.entrySet()) {
            Set<String> values = new LinkedHashSet<>();
            for (List<LoadedRun> runs : byTrainer.values()) {
                values.add(setting.getValue().apply(runs.get(0).facts()).orElse(null));
            }
            if (values.size() == 1 && !values.contains(null)) {
                out.add(setting.getKey() + " " + values.iterator().next());
            }
        }
        return String.join(", ", out);
    }
}
