package io.github.randomgradient.sweep;

import com.fasterxml.jackson.core.type.TypeReference;
import io.github.randomgradient.run.RunFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One arm's cell chosen by the tuning stage, which the confirm stage runs again with every confirm
 * seed ({@link SweepPlan#withConfirmStage(List)}).
 * <p>
 * The coordinator chooses the cells from the tuning stage's published runs and writes them to
 * {@value #FILE} in the sweep's output directory before the confirm stage trains; a worker reads
 * them there to plan the same confirm runs (the worker does not read the tuning results itself).
 * The file is rewritten whenever the coordinator plans the confirm stage, from the same published
 * runs, so it is a record of the choice, never an input of it.
 *
 * @param arm The arm ({@link PlannedRun#arm()}).
 * @param rgScale The RG loss scale's component name, empty for the baseline.
 * @param grid The chosen grid point, as {@link PlannedRun#grid()} holds it (values as the trainer converted them).
 */
public record ConfirmCell(String arm, String rgScale, Map<String, String> grid) {

    /** The file, in the sweep output directory, holding the cells of the confirm stage being trained. */
    public static final String FILE = "confirm-cells.json";

    /**
     * The cell of a planned role.
     * @param role A role of the tuning stage.
     * @return Its cell.
     */
    public static ConfirmCell of(PlannedRun role) {
        return new ConfirmCell(role.arm(), role.rgScale(), role.grid());
    }

    /**
     * Does a role belong to this cell (same arm, RG scale and grid point)?
     * @param role The role.
     * @return True if it does.
     */
    public boolean holds(PlannedRun role) {
        return arm.equals(role.arm()) && rgScale.equals(role.rgScale()) && grid.equals(role.grid());
    }

    /**
     * Writes the cells to {@value #FILE} (atomically).
     * @param output The sweep output directory.
     * @param cells The cells.
     * @throws UncheckedIOException If the file cannot be written.
     */
    public static void write(Path output, List<ConfirmCell> cells) {
        RunFiles.at(output).writeJson(FILE, cells);
    }

    /**
     * Reads the cells the coordinator wrote.
     * @param output The sweep output directory.
     * @return The cells.
     * @throws SweepException If the file is missing or unreadable (the coordinator has not planned a confirm stage).
     */
    public static List<ConfirmCell> read(Path output) {
        Path file = output.resolve(FILE);
        try {
            return RunFiles.JSON.readValue(file.toFile(), new TypeReference<List<ConfirmCell>>() {});
        } catch (IOException e) {
            throw new SweepException("cannot read the confirm stage's cells " + file + " (" + e.getMessage() + "): the sweep "
                    + "command writes them before the confirm stage trains");
        }
    }
}
