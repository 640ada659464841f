package io.github.randomgradient.report.stats;

import io.github.randomgradient.report.stats.GridEdges.Position;
import io.github.randomgradient.report.stats.GridEdges.Rule;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link GridEdges}: positions and the extension rules. */
public class GridEdgesTest {

    private static Map<String, double[]> grid() {
        Map<String, double[]> axes = new LinkedHashMap<>();
        axes.put("learningRate", new double[]{0.01, 0.001, 0.1});
        axes.put("momentum", new double[]{0.5, 0.9, 0.95});
        axes.put("weightDecay", new double[]{0.0});
        return axes;
    }

    @Test
    public void theIssuesTunedCellsLieOnTwoEdges() {
        // Tuned baseline at the top momentum (0.95), tuned RG at the top learning rate (0.1).
        List<GridEdges.Edge> edges = GridEdges.edges(grid(), Map.of("learningRate", 0.1, "momentum", 0.95, "weightDecay", 0.0));
        assertEquals(2, edges.size());
        assertEquals(new GridEdges.Edge("learningRate", 0.1, Position.UPPER_EDGE, OptionalDouble.of(0.2)), edges.get(0));
        assertEquals("momentum", edges.get(1).axis());
        assertEquals(0.975, edges.get(1).next().getAsDouble(), 1e-15);
        // Interior on both tuned axes; the one-valued axis is not tuned, so not an edge.
        assertTrue(GridEdges.edges(grid(), Map.of("learningRate", 0.01, "momentum", 0.9, "weightDecay", 0.0)).isEmpty());
        assertEquals(Position.NOT_TUNED, GridEdges.position(new double[]{0.0}, 0.0));
        List<GridEdges.Edge> low = GridEdges.edges(grid(), Map.of("learningRate", 0.001, "momentum", 0.5, "weightDecay", 0.0));
        assertEquals(0.0005, low.get(0).next().getAsDouble(), 1e-18);
        assertEquals(Position.LOWER_EDGE, low.get(1).position());
        assertEquals(0.25, low.get(1).next().getAsDouble(), 0.0);
    }

    @Test
    public void extensionRules() {
        assertEquals(OptionalDouble.of(0.2), GridEdges.next(0.1, Position.UPPER_EDGE, Rule.LOG_SCALE));
        assertEquals(OptionalDouble.of(0.05), GridEdges.next(0.1, Position.LOWER_EDGE, Rule.LOG_SCALE));
        assertEquals(OptionalDouble.of(0.95), GridEdges.next(0.9, Position.UPPER_EDGE, Rule.TOWARDS_ONE));
        assertEquals(OptionalDouble.of(0.45), GridEdges.next(0.9, Position.LOWER_EDGE, Rule.TOWARDS_ONE));
        // 0 is the end of both axes below.
        assertEquals(OptionalDouble.empty(), GridEdges.next(0.0, Position.LOWER_EDGE, Rule.TOWARDS_ONE));
        assertEquals(OptionalDouble.empty(), GridEdges.next(0.0, Position.LOWER_EDGE, Rule.LOG_SCALE));
        assertEquals(Rule.TOWARDS_ONE, GridEdges.ruleFor("momentum"));
        assertEquals(Rule.TOWARDS_ONE, GridEdges.ruleFor("beta2"));
        assertEquals(Rule.LOG_SCALE, GridEdges.ruleFor("learningRate"));
        assertThrows(IllegalArgumentException.class, () -> GridEdges.next(1.0, Position.UPPER_EDGE, Rule.TOWARDS_ONE));
        assertThrows(IllegalArgumentException.class, () -> GridEdges.next(-0.1, Position.UPPER_EDGE, Rule.LOG_SCALE));
        assertThrows(IllegalArgumentException.class, () -> GridEdges.next(0.1, Position.INTERIOR, Rule.LOG_SCALE));
        assertThrows(IllegalArgumentException.class, () -> GridEdges.position(new double[]{0.1, 0.2}, 0.3));
        assertThrows(IllegalArgumentException.class, () -> GridEdges.edges(grid(), Map.of("learningRate", 0.1)));
    }
}
