package io.github.randomgradient.cli;

import com.oracle.labs.mlrg.olcut.config.Option;
import com.oracle.labs.mlrg.olcut.config.Options;
import io.github.randomgradient.data.IdxDirectory;
import org.tribuo.Dataset;
import org.tribuo.classification.Label;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code export-data}: writes the train and test splits of an IDX data directory as Tribuo protobuf
 * datasets ({@code train.tribuo.pb}, {@code test.tribuo.pb}), the input format
 * {@code SERIALIZED_PROTOBUF} of Tribuo's own command lines such as {@code ConfigurableTrainTest}.
 * Feature names (pixel indices "000".."783") are kept, so the trainers in {@code configs/} run unchanged.
 * <pre>
 * tribuo-rg export-data --data bundled --output-dir runs/data
 * </pre>
 */
public final class ExportDataCommand {

    private ExportDataCommand() {}

    /**
     * Command-line options of {@code export-data}.
     */
    public static final class ExportOptions implements Options {
        @Override
        public String getOptionsDescription() {
            return "Writes IDX train/test data as Tribuo protobuf datasets.";
        }

        /** The IDX data. */
        @Option(charName = 'd', longName = "data", usage = "Data to export: 'bundled', 'full' or a directory with the four IDX files (required).")
        public String data;

        /** Output directory. */
        @Option(charName = 'o', longName = "output-dir", usage = "Directory for train.tribuo.pb and test.tribuo.pb (required).")
        public Path outputDir;
    }

    /**
     * Entry point.
     * @param args The arguments.
     */
    public static void main(String[] args) {
        System.exit(TribuoRg.execute(() -> run(args, System.out), System.err));
    }

    /**
     * Exports the data.
     * @param args The arguments.
     * @param out Where the written paths are printed.
     * @return The output directory.
     * @throws CommandException If the data is missing or the files cannot be written.
     */
    public static Path run(String[] args, PrintStream out) {
        ExportOptions o = new ExportOptions();
        TribuoRg.configure(args, o);
        if (o.data == null || o.outputDir == null) {
            throw new CommandException("--data and --output-dir are required");
        }
        IdxDirectory data = IdxDirectory.resolve(o.data);
        Preflight.checkWritableDirectory(o.outputDir, "output directory (--output-dir)");
        Dataset<Label> trainData = data.load("train");
        Dataset<Label> testData = data.load("t10k");
        try {
            Files.createDirectories(o.outputDir);
            Path train = o.outputDir.resolve("train.tribuo.pb");
            Path test = o.outputDir.resolve("test.tribuo.pb");
            trainData.serializeToFile(train);
            testData.serializeToFile(test);
            out.println("Wrote " + train + " and " + test);
        } catch (IOException e) {
            throw new CommandException("could not write datasets to " + o.outputDir + ": " + e.getMessage(), e);
        }
        return o.outputDir;
    }
}
