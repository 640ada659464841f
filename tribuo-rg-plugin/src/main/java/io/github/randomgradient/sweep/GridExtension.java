package io.github.randomgradient.sweep;

import com.fasterxml.jackson.core.type.TypeReference;
import io.github.randomgradient.run.RunFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values a grid extension ({@code sweep --extend}, {@link Sweep#isExtendEdges()}) added to the sweep's
 * axes beyond their edges, axis by axis in the order they were added, which {@link SweepPlan#withExtension(Map)}
 * plans as further grid points.
 * <p>
 * As with the confirm stage's cells ({@link ConfirmCell#FILE}), the coordinator decides the values from the
 * published tuning runs and writes them to {@value #FILE} in the sweep's output directory before their runs
 * train; a worker asked for a run its plan does not hold reads them there to plan the same runs. The file is
 * rewritten whenever the coordinator plans, so it is a record of the extension, never an input of it.
 */
public final class GridExtension {

    /** The file, in the sweep output directory, holding the values added to each axis. */
    public static final String FILE = "extended-axes.json";

    private GridExtension() {}

    /**
     * Writes the added values (atomically).
     * @param output The sweep output directory.
     * @param added Axis name to the values added, in order; empty for none.
     * @throws java.io.UncheckedIOException If the file cannot be written.
     */
    public static void write(Path output, Map<String, List<String>> added) {
        RunFiles.at(output).writeJson(FILE, added);
    }

    /**
     * Reads the values the coordinator added.
     * @param output The sweep output directory.
     * @return Axis name to the values added; empty when the file is missing (the sweep has not extended its grid).
     * @throws SweepException If the file is unreadable.
     */
    public static Map<String, List<String>> read(Path output) {
        Path file = output.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        try {
            return RunFiles.JSON.readValue(file.toFile(), new TypeReference<LinkedHashMap<String, List<String>>>() {});
        } catch (IOException e) {
            throw new SweepException("cannot read the grid extension " + file + " (" + e.getMessage() + "): the sweep command "
                    + "writes it before the extension's runs train; rerun the sweep");
        }
    }
}
