package io.github.randomgradient.sweep.report;

import io.github.randomgradient.sweep.PlannedRun;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sweep results built by hand for the report's page tests: three arms (baseline, RG, lr-matched) over
 * learning rates {0.01, 0.1} × momenta {0, 0.9} × seeds 1–3, with heatmaps, tuned arms and verdicts
 * computed by {@link SweepResults}' own rules; optionally a diverged and a collapsed run, a slice, and
 * texts holding characters that Markdown and HTML must escape.
 */
final class SweepFixtures {

    private SweepFixtures() {}

    static final String BASE = PlannedRun.BASELINE;
    static final String RG = "rg(rg-uniform)";
    static final String LRM = "lr-matched(rg-uniform)";

    private static RunOutcome run(String label, String lr, String mom, String slice, long seed, String status, double acc) {
        Map<String, String> grid = new LinkedHashMap<>();
        grid.put("learningRate", lr);
        grid.put("momentum", mom);
        if (!slice.isEmpty()) {
            grid.put("batchSize", slice);
        }
        String arm = label.equals(BASE) ? BASE : label.substring(0, label.indexOf('('));
        String trained = label.equals(LRM) ? Double.toString(Double.parseDouble(lr) * 0.5) : lr;
        boolean ok = status.equals(RunOutcome.OK);
        List<Double> curve = ok ? List.of(acc - 0.1, acc - 0.03, acc) : List.of();
        return new RunOutcome(arm, label, label.equals(BASE) ? "" : "rg-uniform", grid, seed, trained,
                arm + "-lr" + lr + "-m" + mom + (slice.isEmpty() ? "" : "-b" + slice) + "-s" + seed, status, ok ? acc : Double.NaN,
                ok ? acc + 0.004 : Double.NaN, ok ? acc - 0.1 : Double.NaN, ok ? (acc > 0.85 ? 2 : 4) : 4, ok && acc > 0.85,
                ok ? 0.05 + (label.equals(RG) ? 0.02 : 0) + seed * 0.001 : Double.NaN, curve, 1000, 500);
    }

    static SweepResults results(String title, String slice, List<String> notes, boolean abnormal) {
        List<String> lrs = List.of("0.01", "0.1");
        List<String> momenta = List.of("0", "0.9");
        List<RunOutcome> runs = new ArrayList<>();
        for (String label : List.of(BASE, RG, LRM)) {
            for (String lr : lrs) {
                for (String mom : momenta) {
                    for (long seed = 1; seed <= 3; seed++) {
                        double base = 0.80 + (lr.equals("0.1") ? 0.05 : 0) + (mom.equals("0.9") ? 0.02 : 0) + seed * 0.003;
                        double acc = label.equals(RG) ? base + 0.01 + (seed == 2 ? 0.002 : 0) : label.equals(LRM) ? base - 0.004 * seed : base;
                        String status = abnormal && label.equals(RG) && lr.equals("0.01") && mom.equals("0") && seed == 3 ? RunOutcome.DIVERGED
                                : abnormal && label.equals(BASE) && lr.equals("0.01") && mom.equals("0.9") && seed == 1 ? RunOutcome.COLLAPSED
                                : RunOutcome.OK;
                        runs.add(run(label, lr, mom, slice, seed, status, Math.round(acc * 1000) / 1000.0));
                    }
                }
            }
        }
        String sliceName = slice.isEmpty() ? "" : "batchSize=" + slice;
        List<SweepResults.Heatmap> heatmaps = new ArrayList<>();
        for (Metric m : Metric.values()) {
            heatmaps.add(SweepResults.heatmap(sliceName, "rg-uniform", RG, BASE, m, runs, lrs, momenta, 3));
            heatmaps.add(SweepResults.heatmap(sliceName, "rg-uniform", RG, LRM, m, runs, lrs, momenta, 3));
        }
        List<SweepResults.TunedArm> tuned = new ArrayList<>();
        for (String label : List.of(BASE, RG, LRM)) {
            SweepResults.tune(sliceName, label, runs).ifPresent(tuned::add);
        }
        List<ClaimMeasures.Compared> compared = List.of(new ClaimMeasures.Compared(sliceName, RG, BASE),
                new ClaimMeasures.Compared(sliceName, RG, LRM));
        ClaimMeasures.Result claims = ClaimMeasures.of(runs, tuned, tuned, compared, 0.95, 0, null);
        return new SweepResults(title, 0.85, 3, 3, lrs, momenta, runs, heatmaps, tuned, claims.rows(), notes, null, claims.claims());
    }

    /** The cases by name: {@code plain}, {@code abnormal} and {@code slice-special}. */
    static Map<String, SweepResults> cases() {
        Map<String, SweepResults> cases = new LinkedHashMap<>();
        cases.put("plain", results("Sweep: RG vs baseline", "", List.of(), false));
        cases.put("abnormal", results("Sweep with failures", "", List.of("adaptive optimiser: control is mean-preserving RG"), true));
        cases.put("slice-special", results("A <b>sweep</b> & | *stars* _under_ \"q\" 'a'\nsecond line", "64",
                List.of("note with <angle> & | pipe", "second *note*"), true));
        return cases;
    }

}
