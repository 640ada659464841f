package io.github.randomgradient.sweep.report;

import io.github.randomgradient.sweep.SweepPlan;

import java.nio.file.Path;

/** Placeholder. */
public final class SweepReport {
    public static SweepReport build(SweepPlan plan, Path output) {
        return new SweepReport();
    }
    public void write(Path dir) {}
    public String summary() {
        return "";
    }
}
