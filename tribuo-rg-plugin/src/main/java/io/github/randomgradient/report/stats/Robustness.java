package io.github.randomgradient.report.stats;

import java.util.List;

/**
 * Robustness of training: the share of runs (grid cell × seed) that train without collapse or divergence,
 * per arm, and the paired test between arms.
 * <p>
 * Runs pair by cell and seed: the candidate's and the reference's run at the same cell and seed share the
 * settings of the grid and the seed's initial weights and mini-batch order. The test is McNemar's exact test
 * (McNemar 1947): only discordant pairs (one arm healthy, the other not) carry information, and under the null
 * hypothesis that the arm does not change whether a run survives, each discordant pair goes either way with
 * probability 1/2, independently, so the count of pairs the candidate survives alone is \( \mathrm{Bin}(b + c, 1/2) \)
 * ({@link SignTest}). The cells are taken as given (the grid is fixed, not sampled), so the inference is about
 * this grid; cells where both arms collapse or both survive do not dilute it.
 * <p>
 * Collapsed and diverged runs stay out of every average of accuracy, loss or time, and enter this measure instead.
 */
public final class Robustness {

    /**
     * One pair of runs at a cell and seed.
     * @param cell The grid cell's label (for the record).
     * @param seed The seed.
     * @param candidateHealthy True if the candidate's run trained without collapse or divergence.
     * @param referenceHealthy True if the reference's run did.
     */
    public record Pair(String cell, long seed, boolean candidateHealthy, boolean referenceHealthy) {}

    /**
     * The robustness comparison.
     * @param pairs The number of pairs.
     * @param candidateHealthy The candidate's healthy runs.
     * @param referenceHealthy The reference's healthy runs.
     * @param test McNemar's exact test: favourable = pairs only the candidate survived, unfavourable = only the
     *             reference, ties = concordant pairs.
     */
    public record Result(int pairs, int candidateHealthy, int referenceHealthy, SignTest.Result test) {

        /** @return The candidate's share of healthy runs; NaN without pairs. */
        public double candidateShare() {
            return pairs == 0 ? Double.NaN : (double) candidateHealthy / pairs;
        }

        /** @return The reference's share of healthy runs; NaN without pairs. */
        public double referenceShare() {
            return pairs == 0 ? Double.NaN : (double) referenceHealthy / pairs;
        }

        /** @return The candidate's share minus the reference's, \( (b - c) / n \); NaN without pairs. */
        public double difference() {
            return candidateShare() - referenceShare();
        }
    }

    private Robustness() {}

    /**
     * Compares the arms' robustness over paired runs.
     * @param pairs The pairs (cell × seed).
     * @return The shares and McNemar's exact test.
     */
    public static Result compare(List<Pair> pairs) {
        int a = 0;
        int b = 0;
        int onlyCandidate = 0;
        int onlyReference = 0;
        for (Pair p : pairs) {
            a += p.candidateHealthy() ? 1 : 0;
            b += p.referenceHealthy() ? 1 : 0;
            if (p.candidateHealthy() && !p.referenceHealthy()) {
                onlyCandidate++;
            } else if (!p.candidateHealthy() && p.referenceHealthy()) {
                onlyReference++;
            }
        }
        int concordant = pairs.size() - onlyCandidate - onlyReference;
        return new Result(pairs.size(), a, b, SignTest.test(onlyCandidate, onlyReference, concordant));
    }
}
