package io.github.randomgradient.report.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Whether a tuned configuration lies on the edge of its grid, and the value that extends the grid beyond
 * that edge. An optimum on an edge says only that the best value is at or beyond it; the grid is extended on
 * that side until the chosen value is interior or a limit is reached.
 * <p>
 * Extension rules, by the axis's kind ({@link Rule}):
 * <ul>
 *   <li>{@link Rule#LOG_SCALE} (learning rate, weight decay): beyond the largest value \( 2x \), beyond the
 *   smallest \( x / 2 \); a smallest value of 0 cannot be extended (0 is the end of the axis).</li>
 *   <li>{@link Rule#TOWARDS_ONE} (momentum, Adam's \( \beta \)s, values in [0, 1)): beyond the largest value
 *   \( 1 - (1 - x)/2 \) (halving the distance to 1: 0.9 → 0.95 → 0.975, the same step in the effective horizon
 *   \( 1 / (1 - \mu) \), which doubles), beyond the smallest \( x / 2 \) (0.5 → 0.25); 0 cannot go lower.</li>
 * </ul>
 */
public final class GridEdges {

    /** How an axis is extended. */
    public enum Rule {
        /** ×2 above, ÷2 below (positive values). */
        LOG_SCALE,
        /** Halve 1 − x above, halve x below (values in [0, 1)). */
        TOWARDS_ONE
    }

    /** Where the chosen value lies on its axis. */
    public enum Position {
        /** Strictly between the axis's smallest and largest values. */
        INTERIOR,
        /** At the smallest value. */
        LOWER_EDGE,
        /** At the largest value. */
        UPPER_EDGE,
        /** The axis has one value: it was not tuned. */
        NOT_TUNED
    }

    /**
     * An axis on whose edge the chosen configuration lies.
     * @param axis The axis's name, e.g. {@code learningRate}.
     * @param chosen The chosen value.
     * @param position Lower or upper edge.
     * @param next The value beyond that edge, or empty when the axis cannot go further (0 at the lower edge).
     */
    public record Edge(String axis, double chosen, Position position, OptionalDouble next) {}

    private GridEdges() {}

    /**
     * The usual rule for a hyper-parameter by its field name.
     * @param axis The field, e.g. {@code learningRate}, {@code momentum}, {@code beta1}, {@code weightDecay}.
     * @return {@link Rule#TOWARDS_ONE} for momentum, beta1 and beta2 (any case); {@link Rule#LOG_SCALE} otherwise.
     */
    public static Rule ruleFor(String axis) {
        String a = axis.toLowerCase(java.util.Locale.ROOT);
        return a.equals("momentum") || a.equals("beta1") || a.equals("beta2") ? Rule.TOWARDS_ONE : Rule.LOG_SCALE;
    }

    /**
     * Where a chosen value lies on its axis.
     * @param values The axis's values (any order, distinct).
     * @param chosen The chosen value, one of them.
     * @return Its position.
     * @throws IllegalArgumentException If the axis is empty or does not hold the chosen value.
     */
    public static Position position(double[] values, double chosen) {
        if (values.length == 0 || Arrays.stream(values).noneMatch(v -> v == chosen)) {
            throw new IllegalArgumentException("the chosen value " + chosen + " is not on the axis " + Arrays.toString(values));
        }
        double min = Arrays.stream(values).min().orElseThrow();
        double max = Arrays.stream(values).max().orElseThrow();
        if (min == max) {
            return Position.NOT_TUNED;
        }
        return chosen == max ? Position.UPPER_EDGE : chosen == min ? Position.LOWER_EDGE : Position.INTERIOR;
    }

    /**
     * The value beyond an edge.
     * @param edgeValue The value at the edge.
     * @param side {@link Position#UPPER_EDGE} or {@link Position#LOWER_EDGE}.
     * @param rule The axis's rule.
     * @return The next value; empty when the axis ends there (0 at the lower edge).
     * @throws IllegalArgumentException If the side is not an edge, or the value is outside the rule's domain
     *                                  (negative; for {@link Rule#TOWARDS_ONE} not in [0, 1)).
     */
    public static OptionalDouble next(double edgeValue, Position side, Rule rule) {
        if (side != Position.UPPER_EDGE && side != Position.LOWER_EDGE) {
            throw new IllegalArgumentException("only an edge can be extended, found " + side);
        }
        if (!(edgeValue >= 0) || (rule == Rule.TOWARDS_ONE && !(edgeValue < 1)) || !Double.isFinite(edgeValue)) {
            throw new IllegalArgumentException("the value " + edgeValue + " is outside the domain of the rule " + rule
                    + (rule == Rule.TOWARDS_ONE ? " ([0, 1))" : " ([0, ∞))"));
        }
        if (side == Position.LOWER_EDGE) {
            return edgeValue == 0 ? OptionalDouble.empty() : OptionalDouble.of(edgeValue / 2);
        }
        if (rule == Rule.LOG_SCALE) {
            return edgeValue == 0 ? OptionalDouble.empty() : OptionalDouble.of(edgeValue * 2);
        }
        return OptionalDouble.of(1 - (1 - edgeValue) / 2);
    }

    /**
     * The axes on whose edge a chosen configuration lies, with the value beyond each edge.
     * @param axes The grid's axes, by name, with their values.
     * @param chosen The chosen configuration's value on each axis.
     * @return The edges, in the axes' order; empty when the choice is interior on every tuned axis.
     * @throws IllegalArgumentException If a chosen value is missing or not on its axis.
     */
    public static List<Edge> edges(Map<String, double[]> axes, Map<String, Double> chosen) {
        List<Edge> out = new ArrayList<>();
        for (Map.Entry<String, double[]> e : new LinkedHashMap<>(axes).entrySet()) {
            Double c = chosen.get(e.getKey());
            if (c == null) {
                throw new IllegalArgumentException("the chosen configuration has no value on the axis " + e.getKey());
            }
            Position p = position(e.getValue(), c);
            if (p == Position.LOWER_EDGE || p == Position.UPPER_EDGE) {
                out.add(new Edge(e.getKey(), c, p, next(c, p, ruleFor(e.getKey()))));
            }
        }
        return out;
    }
}
