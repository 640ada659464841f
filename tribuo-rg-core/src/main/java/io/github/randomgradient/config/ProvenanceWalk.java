package io.github.randomgradient.config;

import com.oracle.labs.mlrg.olcut.provenance.ListProvenance;
import com.oracle.labs.mlrg.olcut.provenance.MapProvenance;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.util.Pair;

import java.util.function.BiConsumer;

/**
 * The one walk over an OLCUT provenance tree used by this project (flattening for reports and
 * diffs, finding the loss scale, spotting Tribuo's Adam): depth first, every node visited once with
 * its dotted path, e.g. {@code optimiser.lossScale.high}; list entries get {@code [i]}, map entries
 * {@code .key}.
 */
public final class ProvenanceWalk {

    private ProvenanceWalk() {}

    /**
     * Visits {@code root} and every node below it, depth first, in the provenance's own order.
     * @param path The path of {@code root} ({@code ""} for a top-level provenance).
     * @param root The provenance; null visits nothing.
     * @param visitor Called with each node's path and the node.
     */
    public static void walk(String path, Provenance root, BiConsumer<String, Provenance> visitor) {
        if (root == null) {
            return;
        }
        visitor.accept(path, root);
        if (root instanceof ObjectProvenance) {
            for (Pair<String, Provenance> e : (ObjectProvenance) root) {
                walk(path.isEmpty() ? e.getA() : path + "." + e.getA(), e.getB(), visitor);
            }
        } else if (root instanceof ListProvenance) {
            int i = 0;
            for (Provenance item : (ListProvenance<?>) root) {
                walk(path + "[" + i++ + "]", item, visitor);
            }
        } else if (root instanceof MapProvenance) {
            for (Pair<String, ? extends Provenance> e : (MapProvenance<?>) root) {
                walk(path + "." + e.getA(), e.getB(), visitor);
            }
        }
    }

    /**
     * Is a node a leaf (a value, not an object, list or map)?
     * @param p The node.
     * @return True for a leaf.
     */
    public static boolean isLeaf(Provenance p) {
        return !(p instanceof ObjectProvenance || p instanceof ListProvenance || p instanceof MapProvenance);
    }
}
