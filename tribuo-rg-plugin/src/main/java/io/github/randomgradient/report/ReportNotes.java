package io.github.randomgradient.report;

import io.github.randomgradient.run.FailedRun;
import io.github.randomgradient.report.ReportData.TrainerSummary;

import io.github.randomgradient.run.LoadedRun;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The notes of a {@link ComparisonReport}: warnings a reader must see (defective optimisers, runs
 * without history, runs of one trainer that differ beyond the seed, failed runs, absent classes).
 */
final class ReportNotes {

    private ReportNotes() {}

    static List<String> notes(Map<String, List<LoadedRun>> byTrainer, List<TrainerSummary> trainers,
                              List<FailedRun> failed) {
        List<String> notes = new ArrayList<>();
        for (TrainerSummary t : trainers) {
            if (t.usesTribuoAdam()) {
                notes.add("WARNING: " + t.trainer() + " uses Tribuo 4.3.2's Adam, which is defective: it multiplies the "
                        + "update by the square root of the second moment instead of dividing by it (oracle/tribuo#401); "
                        + "its results are not those of Adam");
            }
        }
        for (Map.Entry<String, List<LoadedRun>> e : byTrainer.entrySet()) {
            List<LoadedRun> runs = e.getValue();
            long without = runs.stream().filter(r -> r.history() == null).count();
            if (without > 0) {
                notes.add(e.getKey() + ": " + without + " of " + runs.size() + " runs have no training history (Tribuo's own "
                        + "trainers keep none); its final training loss, convergence and curves leave them out");
            }
            Map<String, String> first = ProvenanceDiffs.configuration(runs.get(0).facts());
            Set<String> differing = new LinkedHashSet<>();
            for (LoadedRun r : runs.subList(1, runs.size())) {
                Map<String, String> config = ProvenanceDiffs.configuration(r.facts());
                Set<String> keys = new LinkedHashSet<>(first.keySet());
                keys.addAll(config.keySet());
                for (String k : keys) {
                    if (!Objects.equals(first.get(k), config.get(k))) {
                        differing.add(k + " (seed " + runs.get(0).seed() + ": " + first.getOrDefault(k, ReportData.MISSING)
                                + ", seed " + r.seed() + ": " + config.getOrDefault(k, ReportData.MISSING) + ")");
                    }
                }
            }
            if (!differing.isEmpty()) {
                notes.add(e.getKey() + ": its runs differ in configuration beyond the seed, so its seeds are not repeats "
                        + "of one configuration: " + String.join("; ", differing));
            }
        }
        if (!failed.isEmpty()) {
            notes.add(failed.size() + " run(s) diverged or collapsed; they are left out of the summaries, curves and "
                    + "verdicts and listed under Failed runs");
        }
        return notes;
    }
}
