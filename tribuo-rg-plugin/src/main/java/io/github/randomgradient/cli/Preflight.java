package io.github.randomgradient.cli;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.property.ListProperty;
import com.oracle.labs.mlrg.olcut.config.property.Property;
import com.oracle.labs.mlrg.olcut.config.property.SimpleProperty;
import io.github.randomgradient.data.DataChecks.IdxPair;
import io.github.randomgradient.config.PreflightCheckable;
import io.github.randomgradient.data.DataChecks;
import io.github.randomgradient.data.DataLoading;
import io.github.randomgradient.data.IdxDirectory;
import io.github.randomgradient.optim.OptimiserDescription;
import io.github.randomgradient.run.ProvenanceFacts;
import org.tribuo.DataSource;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.common.sgd.AbstractSGDTrainer;
import org.tribuo.datasource.IDXDataSource;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.github.randomgradient.sweep.ExperimentPlan;
import io.github.randomgradient.sweep.PlannedRun;
import io.github.randomgradient.sweep.RunPlan;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Everything a command checks before the first epoch of its first run, so that a typo costs
 * seconds and a wrong file never trains: the config's property kinds, the data files, every
 * trainer (instantiated for every seed, so every component's {@code postConfig} runs), that each
 * trainer fits the data (image shape, labels, device, through {@link PreflightCheckable}), and that
 * the output directory is writable. Every failure is a {@link CommandException} whose one-line
 * message names the file, component, field and value.
 * <p>
 * Used by {@code experiment} and {@code sweep} alike: both make a {@link RunPlan} (which instantiates
 * every run's trainer once, so every component's {@code postConfig} runs, before any data is read),
 * and the plan is checked whatever its kind:
 * <pre>
 * Preflight.checkPropertyKinds(cm, "experiment");                             // list vs value, misspelt properties
 * Optional&lt;IdxPair&gt; trainFiles = Preflight.checkDataComponent(cm, "train-source", "training data 'train-source'");
 * RunPlan plan = ExperimentPlan.plan(...);                                    // or SweepPlan.expand(cm, "sweep")
 * ...                                                                         // instantiate the data sources
 * Preflight.Checked c = Preflight.check(plan,
 *         new Preflight.Source(trainSource, "training data 'train-source'", trainFiles), testSource, outputDir);
 * Preflight.checkFits(plan, data, source);                                    // what check does after loading
 * </pre>
 */
public final class Preflight {

    private Preflight() {}

    /**
     * A data source to check and load.
     * @param source The instantiated source.
     * @param role What it is, for messages, e.g. {@code "training data 'fashion-mnist-bundled-train'"}.
     * @param idx Its checked IDX files, if it is an {@link IDXDataSource}.
     */
    public record Source(DataSource<Label> source, String role, Optional<IdxPair> idx) {}

    /**
     * What the preflight built: the loaded datasets and a trainer for every (trainer, seed) run.
     * @param train The training data.
     * @param test The test data.
     * @param trainers Trainer name to seed to configured trainer, in the order given.
     */
    public record Checked(Dataset<Label> train, Dataset<Label> test, Map<String, Map<Long, Trainer<Label>>> trainers) {}

    /**
     * Checks the output directory, loads both data sources and checks that every run's trainer of a
     * plan fits the training data ({@link #checkFits(RunPlan, Dataset, Source)}). Nothing is trained and
     * nothing is written.
     * @param plan The plan (its trainers were instantiated when it was made).
     * @param train The training data.
     * @param test The test data.
     * @param outputDirectory Where the command will write.
     * @return The datasets and the plan's trainers.
     * @throws CommandException On the first problem found.
     */
    public static Checked check(RunPlan plan, Source train, Source test, Path outputDirectory) {
        checkWritableDirectory(outputDirectory, "output directory");
        train.idx().ifPresent(tr -> test.idx().ifPresent(te -> DataChecks.checkSameImageShape(tr, te)));
        Dataset<Label> trainData = DataChecks.load(train.source(), train.role(), train.idx());
        Dataset<Label> testData = DataChecks.load(test.source(), test.role(), test.idx());
        checkFits(plan, trainData, train);
        Map<String, Map<Long, Trainer<Label>>> trainers = new LinkedHashMap<>();
        for (PlannedRun run : plan.runs()) {
            trainers.computeIfAbsent(plan.trainerName(run), k -> new LinkedHashMap<>()).putIfAbsent(run.seed(), plan.trainer(run));
        }
        return new Checked(trainData, testData, trainers);
    }

    /**
     * Checks that every run's trainer of a plan, whatever its kind, fits the training data (image shape,
     * kernel size, labels, device): each distinct configuration once, in plan order.
     * @param plan The plan.
     * @param data The training data.
     * @param source Where it came from, for messages.
     * @throws CommandException On the first trainer that does not fit.
     */
    public static void checkFits(RunPlan plan, Dataset<Label> data, Source source) {
        for (PlannedRun run : plan.runs()) {
            checkFits(plan.trainerName(run), plan.trainer(run), data, source);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Warnings: settings that are legal but almost certainly not what the user meant. One line each;
    // training goes on.

    /**
     * The warnings about one trainer's settings against the data it will train on: {@code momentum} set
     * in the config for an optimiser that ignores it (an adaptive one such as Adam or AdamW, asked of the
     * trainer's recorded optimiser), and a {@code batchSize} larger than the training data (every epoch
     * is then a single mini-batch).
     * @param who Who the warning is about, e.g. {@code "trainer 'cnn-rg'"}.
     * @param trainer The configured trainer.
     * @param momentumWritten The {@code momentum} the config writes for it, if it writes one (the field's default is not a choice).
     * @param trainExamples The number of training examples it will see.
     * @return The warnings, one line each; empty if none.
     */
    public static List<String> trainerWarnings(String who, Trainer<Label> trainer, Optional<String> momentumWritten, int trainExamples) {
        Map<String, String> config = configuredValues(trainer);
        List<String> out = new ArrayList<>();
        if (momentumWritten.isPresent() && ProvenanceFacts.isAdaptive(trainer.getProvenance())) {
            Optional<OptimiserDescription> component = ProvenanceFacts.optimiserComponent(trainer.getProvenance());
            String optimiser = ProvenanceFacts.optimiserOf(trainer.getProvenance()).orElse("?");
            String beta1 = component.map(o -> o.settings().get("beta1")).orElse(config.getOrDefault("beta1", "0.9"));
            out.add(who + " sets momentum=" + momentumWritten.get() + ", but optimiser=" + optimiser
                    + " ignores momentum (its first-moment decay is beta1, " + beta1
                    + "): remove momentum, or set beta1 instead");
        }
        try {
            int batch = Integer.parseInt(config.getOrDefault("batchSize", "0"));
            if (batch > trainExamples) {
                out.add(who + " has batchSize=" + batch + ", larger than the " + trainExamples + " training examples: "
                        + "every epoch is one mini-batch of all " + trainExamples + " (one optimiser step per epoch)");
            }
        } catch (NumberFormatException e) {
            // not an integer batch size: the trainer's own check reports it
        }
        return out;
    }

    /**
     * The warning for more PyTorch threads than cores: {@code workers} processes of {@code threads}
     * intra-op threads each compete for the CPU (results are unchanged, runs are slower).
     * @param workers The worker processes (or concurrent tasks).
     * @param threads The largest {@code numThreads} of the runs.
     * @param cores The available processors.
     * @return The warning, if {@code workers * threads > cores}.
     */
    public static Optional<String> threadsWarning(int workers, int threads, int cores) {
        if ((long) workers * threads <= cores) {
            return Optional.empty();
        }
        return Optional.of(workers + " workers x " + threads + " PyTorch thread" + (threads == 1 ? "" : "s") + " = "
                + (long) workers * threads + " threads on " + cores + " core" + (cores == 1 ? "" : "s")
                + ": the runs compete for the CPU and each takes longer (results are unchanged); use --workers "
                + Math.max(1, cores / threads) + " or lower numThreads");
    }

    /** Whether a component's config sets a property itself (or inherits it from a component of its file). */
    static boolean sets(ConfigurationManager cm, String component, String property) {
        return cm.getConfigurationData(component).map(d -> d.get(property).isPresent()).orElse(false);
    }

    /** The value a component's config writes for a property (itself or inherited from a component of its file), if any. */
    static Optional<String> written(ConfigurationManager cm, String component, String property) {
        return cm.getConfigurationData(component).flatMap(d -> d.get(property)).map(Object::toString);
    }

    /** A trainer's configured values, from its provenance (the values OLCUT set, defaults included). */
    static Map<String, String> configuredValues(Trainer<Label> trainer) {
        Map<String, String> out = new LinkedHashMap<>();
        trainer.getProvenance().getConfiguredParameters().forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    /**
     * Checks that a trainer can train on the data: through {@link PreflightCheckable} if it
     * implements it, and, for IDX images, that its input shape is the images' shape.
     * @param name The trainer's component name.
     * @param trainer The trainer.
     * @param data The loaded training data.
     * @param source Where the data came from.
     * @throws CommandException If it cannot; the message names the trainer, the field and the data file.
     */
    public static void checkFits(String name, Trainer<Label> trainer, Dataset<Label> data, Source source) {
        checkSgdMiniBatches(name, trainer, data, source);
        if (!(trainer instanceof PreflightCheckable)) {
            return;
        }
        @SuppressWarnings("unchecked")
        PreflightCheckable<Label> checkable = (PreflightCheckable<Label>) trainer;
        String where = source.idx().map(IdxPair::describe).orElse(source.source().toString());
        long[] shape;
        try {
            shape = checkable.checkBeforeTraining(data.getFeatureIDMap(), data.getOutputIDInfo());
        } catch (IllegalArgumentException e) {
            throw new CommandException("trainer '" + name + "' cannot train on the " + source.role() + " " + where + ": "
                    + e.getMessage(), e);
        }
        if (source.idx().isPresent()) {
            DataChecks.checkImageShape("trainer '" + name + "' (its featureConverter)", shape, source.role(), source.idx().get());
        }
    }

    /**
     * Tribuo 4.3.2's SGD trainers ({@link AbstractSGDTrainer}: linear models, factorisation machines)
     * turn an example that names every feature into a dense vector and any other into a sparse one,
     * and merging the gradients of a mini-batch that holds both fails deep inside Tribuo
     * ({@code ClassCastException: DenseMatrix cannot be cast to DenseSparseMatrix} in
     * {@code LinearParameters.merge}) after training has started. On image data this happens as
     * soon as one image has no zero pixel, so it is refused here, before training.
     * @throws CommandException If the trainer's mini-batches can mix both kinds of example.
     */
    static void checkSgdMiniBatches(String name, Trainer<Label> trainer, Dataset<Label> data, Source source) {
        if (!(trainer instanceof AbstractSGDTrainer)) {
            return;
        }
        String configured = ProvenanceFacts.configurationOf(trainer.getProvenance()).get("minibatchSize");
        int minibatch = configured == null ? 1 : Integer.parseInt(configured);
        if (minibatch <= 1) {
            return;
        }
        int features = data.getFeatureIDMap().size();
        long dense = 0;
        for (Example<Label> e : data) {
            if (e.size() == features) {
                dense++;
            }
        }
        if (dense > 0 && dense < data.size()) {
            throw new CommandException("trainer '" + name + "' (" + trainer.getClass().getSimpleName() + ", minibatchSize=" + minibatch
                    + ") cannot train on the " + source.role() + ": " + dense + " of its " + data.size() + " examples name every one of the "
                    + features + " features (e.g. an image without a zero pixel) and the others do not, and Tribuo 4.3.2's SGD fails on a "
                    + "mini-batch that mixes the two (ClassCastException in LinearParameters.merge); set minibatchSize to 1, or train "
                    + "this data with a DJLTrainer");
        }
    }

    /**
     * Checks the IDX files an {@link IDXDataSource} component names, before OLCUT instantiates it
     * (which reads them and would fail with a message naming neither file).
     * @param cm The configuration.
     * @param component The data source's component name.
     * @param role What it is, for messages, e.g. {@code "training data 'fashion-mnist-bundled-train'"}.
     * @return The checked files, or empty if the component is not an {@link IDXDataSource}.
     * @throws CommandException If a file is missing or wrong.
     */
    public static Optional<IdxPair> checkDataComponent(ConfigurationManager cm, String component, String role) {
        ConfigurationData source = cm.getConfigurationData(component).orElseThrow(() ->
                new CommandException("the " + role + " names component '" + component + "', but the config has no such component"));
        if (!DataLoading.isIdxSource(source.getClassName())) {
            return Optional.empty();
        }
        Path[] files = new Path[2];
        String[] fields = {"featuresPath", "outputPath"};
        for (int i = 0; i < 2; i++) {
            String field = fields[i];
            String value = source.get(field).map(Property::toString).orElseThrow(() ->
                    new CommandException("IDXDataSource '" + component + "' (" + role + ") has no " + field));
            files[i] = Paths.get(value);
            if (!Files.exists(files[i])) {
                throw new CommandException("data file not found: " + files[i].toAbsolutePath() + " (" + field + " of " + role
                        + "): " + IdxDirectory.hintFor(files[i]));
            }
        }
        return Optional.of(DataChecks.checkIdxPair(files[0], files[1], role));
    }

    /**
     * The scheme of a path written as a URI ({@code s3://bucket/x}, {@code hdfs://nn/x}, {@code file:///x}),
     * which {@link Path#of(String, String...)} turns into a relative path whose first element ends with
     * a colon ({@code s3:/bucket/x}).
     * @param dir The path as given.
     * @return The scheme, if the path's first element is one ({@code [a-zA-Z][a-zA-Z0-9+.-]*:}).
     */
    static Optional<String> uriScheme(Path dir) {
        if (dir.isAbsolute() || dir.getNameCount() == 0) {
            return Optional.empty();
        }
        String first = dir.getName(0).toString();
        return first.matches("[a-zA-Z][a-zA-Z0-9+.-]*:") ? Optional.of(first.substring(0, first.length() - 1)) : Optional.empty();
    }

    /**
     * Checks that a directory can be written to, creating nothing: it exists as a writable
     * directory, or its nearest existing ancestor does.
     * @param dir The directory.
     * @param what What it is, for messages, e.g. {@code "output directory"}.
     * @throws CommandException If it is empty ({@code Paths.get("")}, which would mean the working directory) or
     *                          cannot be written to, or is a URI such as {@code s3://bucket/x}
     *                          (exit 2, never a local directory named {@code s3:}); the message names the path.
     */
    public static void checkWritableDirectory(Path dir, String what) {
        Optional<String> scheme = uriScheme(dir);
        if (scheme.isPresent()) {
            // Path.of("s3://bucket/x") is the relative path "s3:/bucket/x": it would silently write into a directory named "s3:".
            throw new CommandException("the " + what + " '" + dir + "' is a " + scheme.get() + ":// URI; tribuo-rg writes runs "
                    + "and reports as files, not through Hadoop's FileSystem: give a directory path (for a Spark cluster, one on "
                    + "storage that the driver and every executor mount at the same path, e.g. NFS)");
        }
        if (dir.toString().isBlank()) {
            // Paths.get("") is the working directory: an empty value in a config must not write into it unasked.
            throw new CommandException("the " + what + " is empty (''): give a directory (write '.' for the working directory)");
        }
        Path abs = dir.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            if (Files.isSymbolicLink(existing)) {
                // Files.exists follows links: a dangling link or a loop would otherwise pass as "can be created".
                throw new CommandException("the " + what + " " + abs + " cannot be created: " + existing
                        + " is a symbolic link that leads nowhere (dangling, or a loop)");
            }
            existing = existing.getParent();
        }
        if (existing == null) {
            throw new CommandException("the " + what + " " + abs + " cannot be created: no part of its path exists");
        }
        if (!Files.isDirectory(existing)) {
            throw new CommandException("the " + what + " " + abs + " cannot be created: " + existing + " is a file, not a directory");
        }
        Path probe = existing.resolve(".tribuo-rg-write-check-" + ProcessHandle.current().pid());
        try {
            Files.createFile(probe);
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new CommandException("the " + what + " " + abs + " is not writable: cannot create a file in " + existing
                    + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
    }

    /**
     * Deletes the hidden {@code .NAME.UUID.partial} files a killed run left in a directory: the
     * temporary files that reports and run files are written to before being moved into place.
     * @param dir The directory; nothing happens if it does not exist.
     * @return The number of files deleted.
     * @throws CommandException If one cannot be deleted.
     */
    public static int removeLeftoverPartials(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int n = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String f = p.getFileName().toString();
                if (f.startsWith(".") && f.endsWith(".partial") && Files.isRegularFile(p)) {
                    Files.delete(p);
                    n++;
                }
            }
        } catch (IOException e) {
            throw new CommandException("could not remove the temporary files left in " + dir + " by an interrupted run: "
                    + e.getMessage(), e);
        }
        return n;
    }

    /**
     * Checks that every property of {@code root} and of every component it references has the kind
     * its {@code @Config} field needs: a {@code <propertylist>} for a list, array or set field, a
     * {@code <property value=...>} otherwise, and names a field the class has. OLCUT itself fails
     * on these with a {@link ClassCastException} or a message naming neither the component nor the field.
     * @param cm The configuration.
     * @param root The component to start from.
     * @throws CommandException On the first mismatch; the message names the component, the property and the fix.
     */
    public static void checkPropertyKinds(ConfigurationManager cm, String root) {
        for (String name : reachable(cm, root)) {
            ConfigurationData d = cm.getConfigurationData(name).orElseThrow();
            Map<String, Field> fields = configFields(d.getClassName());
            if (fields == null) {
                throw new CommandException("component '" + name + "' has type " + d.getClassName()
                        + ", but no such class is on the class path (misspelt type?)");
            }
            for (Map.Entry<String, Property> p : d.getProperties().entrySet()) {
                Field f = fields.get(p.getKey());
                if (f == null) {
                    throw new CommandException("component '" + name + "' (" + simple(d.getClassName()) + ") has no property '"
                            + p.getKey() + "'; its properties are " + new TreeSet<>(fields.keySet()));
                }
                boolean many = f.getType().isArray() || Collection.class.isAssignableFrom(f.getType());
                if (many && p.getValue() instanceof SimpleProperty) {
                    throw new CommandException("property '" + p.getKey() + "' of component '" + name + "' is a list, found the single value '"
                            + p.getValue() + "': write <propertylist name=\"" + p.getKey() + "\"><item>" + p.getValue()
                            + "</item></propertylist>");
                }
                if (!many && p.getValue() instanceof SimpleProperty && Configurable.class.isAssignableFrom(f.getType())) {
                    checkReference(cm, name, p.getKey(), p.getValue().toString(), f.getType());
                }
                if (!many && p.getValue() instanceof ListProperty && !Map.class.isAssignableFrom(f.getType())) {
                    throw new CommandException("property '" + p.getKey() + "' of component '" + name + "' takes one value, found the list "
                            + p.getValue() + ": write <property name=\"" + p.getKey() + "\" value=\"...\"/>");
                }
                Class<?> element = elementType(f);
                for (String v : values(p.getValue())) {
                    if (element.isEnum()) {
                        checkEnumValue(name, d.getClassName(), p.getKey(), v, element);
                    } else if (element == boolean.class || element == Boolean.class) {
                        checkBooleanValue(cm, name, d.getClassName(), p.getKey(), v);
                    } else if (element == Path.class || element == java.io.File.class) {
                        checkPathValue(name, p.getKey(), v);
                    }
                }
            }
        }
    }

    /**
     * Checks a sweep's axes that vary an enum field of its base trainer (e.g. {@code optimiser}): every
     * value must name a constant, before any run is planned.
     * @param cm The configuration.
     * @param sweep The sweep component's name.
     * @throws CommandException On the first value that is not a constant; the message lists the allowed ones.
     */
    public static void checkSweepAxes(ConfigurationManager cm, String sweep) {
        Optional<ConfigurationData> d = cm.getConfigurationData(sweep);
        Optional<String> trainer = d.flatMap(x -> x.get("trainer")).map(Property::toString);
        Optional<ConfigurationData> t = trainer.flatMap(cm::getConfigurationData);
        if (d.isEmpty() || t.isEmpty()) {
            return; // the sweep itself reports a missing trainer
        }
        Map<String, Field> fields = configFields(t.get().getClassName());
        if (fields == null) {
            return;
        }
        for (Map.Entry<String, Property> p : d.get().getProperties().entrySet()) {
            Field f = fields.get(p.getKey());
            if (f != null && elementType(f).isEnum()) {
                for (String v : values(p.getValue())) {
                    checkEnumValue(sweep, d.get().getClassName(), p.getKey(), v, elementType(f));
                }
            } else if (f != null && (elementType(f) == boolean.class || elementType(f) == Boolean.class)) {
                for (String v : values(p.getValue())) {
                    checkBooleanValue(cm, sweep, d.get().getClassName(), p.getKey(), v);
                }
            }
        }
    }

    /** The type of a field's values: the field's type, or its element type for an array or a collection. */
    private static Class<?> elementType(Field f) {
        if (f.getType().isArray()) {
            return f.getType().getComponentType();
        }
        if (Collection.class.isAssignableFrom(f.getType()) && f.getGenericType() instanceof ParameterizedType pt
                && pt.getActualTypeArguments().length == 1 && pt.getActualTypeArguments()[0] instanceof Class<?> c) {
            return c;
        }
        return f.getType();
    }

    /**
     * Checks that a value names a constant of an enum field, as OLCUT's {@code Enum.valueOf} needs it (exact
     * case); OLCUT's own message names neither the allowed values nor, for a typo's case, the fix.
     * @param component The component's name.
     * @param className Its class.
     * @param field The field.
     * @param value The value written in the config.
     * @param type The field's enum type.
     * @throws CommandException If the value is not one of the constants; the message lists them.
     */
    static void checkEnumValue(String component, String className, String field, String value, Class<?> type) {
        List<String> allowed = Arrays.stream(type.getEnumConstants()).map(c -> ((Enum<?>) c).name()).toList();
        if (value.startsWith("${") || allowed.contains(value)) {
            return; // ${...} is an OLCUT variable, resolved and checked by OLCUT itself
        }
        String near = allowed.stream().filter(a -> a.equalsIgnoreCase(value.trim())).findFirst()
                .map(a -> " (names are case-sensitive: write '" + a + "')").orElse("");
        throw new CommandException("component '" + component + "' (" + simple(className) + "), property '" + field + "': '" + value
                + "' is not a value of " + type.getSimpleName() + "; the allowed values are " + String.join(", ", allowed) + near);
    }

    /**
     * Checks that a value of a boolean field is {@code true} or {@code false} (any case, nothing
     * around it): OLCUT reads it with {@link Boolean#parseBoolean}, so "yes", "1", "true " or a typo
     * would silently mean {@code false}. A value that is one OLCUT global property ({@code ${name}})
     * is checked as that property's value.
     * @param cm The configuration, for global properties.
     * @param component The component's name.
     * @param className Its class.
     * @param field The field.
     * @param value The value written in the config.
     * @throws CommandException If the value is neither; the message names the component, field and value.
     */
    static void checkBooleanValue(ConfigurationManager cm, String component, String className, String field, String value) {
        String resolved = value;
        java.util.regex.Matcher variable = java.util.regex.Pattern.compile("\\$\\{([^}]+)}").matcher(value);
        if (variable.matches()) {
            resolved = cm.getGlobalProperty(variable.group(1));
            if (resolved == null) {
                return; // OLCUT reports an undefined global property itself
            }
        } else if (value.contains("${")) {
            return; // a value built from several properties: OLCUT resolves it
        }
        if (resolved.equalsIgnoreCase("true") || resolved.equalsIgnoreCase("false")) {
            return;
        }
        throw new CommandException("component '" + component + "' (" + simple(className) + "), property '" + field + "': '" + value
                + "'" + (resolved.equals(value) ? "" : " (= '" + resolved + "')") + " is not a boolean; write true or false "
                + "(OLCUT would read it as false)");
    }

    /** Checks that a path from a config can be a file name here (it cannot under LANG=C if it is not ASCII). */
    private static void checkPathValue(String component, String field, String value) {
        try {
            Paths.get(value);
        } catch (InvalidPathException e) {
            CommandException c = TribuoRg.unencodablePath(new String[0], e);
            throw new CommandException("component '" + component + "', property '" + field + "': " + c.getMessage(), e);
        }
    }

    private static void checkReference(ConfigurationManager cm, String component, String property, String target, Class<?> type) {
        ConfigurationData d = cm.getConfigurationData(target).orElseThrow(() -> new CommandException("property '" + property
                + "' of component '" + component + "' names component '" + target + "', but the config has no such component"));
        boolean fits;
        try {
            fits = type.isAssignableFrom(Class.forName(d.getClassName()));
        } catch (ClassNotFoundException | LinkageError e) {
            throw new CommandException("component '" + target + "' has type " + d.getClassName()
                    + ", but no such class is on the class path (misspelt type?)");
        }
        if (!fits) {
            throw new CommandException("property '" + property + "' of component '" + component + "' names component '" + target
                    + "', a " + simple(d.getClassName()) + ", but needs a " + type.getSimpleName());
        }
    }

    private static String simple(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    /**
     * The {@code @Config} fields of a class and its superclasses.
     * @param className The class.
     * @return The fields by name, or null if the class is unknown.
     */
    static Map<String, Field> configFields(String className) {
        Map<String, Field> out = new LinkedHashMap<>();
        try {
            for (Class<?> c = Class.forName(className); c != null; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (f.isAnnotationPresent(Config.class)) {
                        out.putIfAbsent(f.getName(), f);
                    }
                }
            }
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
        return out;
    }

    /**
     * The component and every component it references, directly or not.
     * @param cm The configuration.
     * @param root The component to start from.
     * @return The names, {@code root} first.
     */
    static Set<String> reachable(ConfigurationManager cm, String root) {
        return ExperimentPlan.reachable(cm, root);
    }

    /**
     * The values of a property: its items if it is a list, else its one value.
     * @param p The property.
     * @return The values.
     */
    static List<String> values(Property p) {
        return ExperimentPlan.values(p);
    }
}
