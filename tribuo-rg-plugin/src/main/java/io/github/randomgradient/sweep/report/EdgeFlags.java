package io.github.randomgradient.sweep.report;

import io.github.randomgradient.report.stats.GridEdges;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where each tuned arm's chosen cell lies on the grid's learning-rate and momentum axes
 * ({@link GridEdges}): a cell on an axis's edge says only that the best value is at or beyond it, so the
 * report flags it with the value that would extend the grid on that side ({@code sweep --extend}).
 * <p>
 * The axes are the arm's own, among the runs of its slice: the learning rates and momenta its tuning runs
 * were planned at (the grid's values, an lr-matched arm's included: its runs train at lr × E[u], but its
 * cell is named by the grid's learning rate).
 *
 * @param slice The tuned arm's slice.
 * @param arm The arm label.
 * @param learningRate The chosen learning rate (the grid's).
 * @param momentum The chosen momentum.
 * @param edges The axes on whose edge the choice lies, empty when interior on every tuned axis.
 */
public record EdgeFlags(String slice, String arm, String learningRate, String momentum, List<Edge> edges) {

    /** The axes checked, in this order. */
    public static final List<String> AXES = List.of("learningRate", "momentum");

    /**
     * One edge.
     * @param axis {@code learningRate} or {@code momentum}.
     * @param chosen The chosen value.
     * @param side {@code lower} or {@code upper}.
     * @param next The value beyond the edge ({@link GridEdges#next}), null when the axis ends there (0 at the lower edge).
     */
    public record Edge(String axis, double chosen, String side, Double next) {

        /** @return E.g. {@code "learning rate 0.1 is the grid's largest (next: 0.2)"}. */
        public String describe() {
            return (axis.equals("learningRate") ? "learning rate " : axis + " ") + num(chosen) + " is the grid's "
                    + (side.equals("upper") ? "largest" : "smallest") + (next == null ? " (the axis ends there)" : " (next: " + num(next) + ")");
        }
    }

    /** @return True if the chosen cell is interior on every tuned axis. */
    public boolean interior() {
        return edges.isEmpty();
    }

    /**
     * The edge flags of every tuned arm of the tuning stage.
     * @param results The results.
     * @return One per {@link SweepResults#tuned()} arm, in that order.
     */
    public static List<EdgeFlags> of(SweepResults results) {
        List<EdgeFlags> out = new ArrayList<>();
        for (SweepResults.TunedArm t : results.tuned()) {
            Map<String, double[]> axes = new LinkedHashMap<>();
            Map<String, Double> chosen = new LinkedHashMap<>();
            for (String axis : AXES) {
                Set<Double> values = new LinkedHashSet<>();
                for (RunOutcome r : results.runs()) {
                    if (r.armLabel().equals(t.arm()) && SweepResults.slice(r).equals(t.slice()) && r.grid().containsKey(axis)) {
                        values.add(Double.parseDouble(r.grid().get(axis)));
                    }
                }
                String c = axis.equals("learningRate") ? t.learningRate() : t.momentum();
                if (!values.isEmpty() && !c.equals("base")) {
                    axes.put(axis, values.stream().mapToDouble(Double::doubleValue).toArray());
                    chosen.put(axis, Double.parseDouble(c));
                }
            }
            List<Edge> edges = new ArrayList<>();
            for (GridEdges.Edge e : GridEdges.edges(axes, chosen)) {
                edges.add(new Edge(e.axis(), e.chosen(), e.position() == GridEdges.Position.UPPER_EDGE ? "upper" : "lower",
                        e.next().isPresent() ? e.next().getAsDouble() : null));
            }
            out.add(new EdgeFlags(t.slice(), t.arm(), t.learningRate(), t.momentum(), List.copyOf(edges)));
        }
        return out;
    }

    /**
     * The values that extend the grid beyond every edge the arms chose, axis by axis, each once, written as
     * a sweep axis value (e.g. {@code 0.2}, {@code 0.95}); an edge where the axis ends (0) adds nothing.
     * @param flags The arms' edge flags.
     * @return Axis name to the values to add, in {@link #AXES} order; empty when every choice is interior.
     */
    public static Map<String, List<String>> nextValues(List<EdgeFlags> flags) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String axis : AXES) {
            for (EdgeFlags f : flags) {
                for (Edge e : f.edges()) {
                    if (e.axis().equals(axis) && e.next() != null) {
                        List<String> values = out.computeIfAbsent(axis, k -> new ArrayList<>());
                        String v = num(e.next());
                        if (!values.contains(v)) {
                            values.add(v);
                        }
                    }
                }
            }
        }
        return out;
    }

    /** @return E.g. {@code "on the edge: learning rate 0.1 is the grid's largest (next: 0.2)"}, or {@code "interior"}. */
    public String describe() {
        if (edges.isEmpty()) {
            return "interior";
        }
        List<String> parts = edges.stream().map(Edge::describe).toList();
        return "on the edge: " + String.join("; ", parts);
    }

    static String num(double v) {
        String s = String.format(Locale.ROOT, "%.6g", v);
        if (s.contains("e") || s.contains("E")) {
            return Double.toString(v);
        }
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }
}
