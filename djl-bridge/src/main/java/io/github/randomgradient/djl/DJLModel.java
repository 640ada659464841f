package io.github.randomgradient.djl;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.oracle.labs.mlrg.olcut.util.Pair;
import io.github.randomgradient.config.Digests;
import io.github.randomgradient.djl.block.BlockFactory;
import io.github.randomgradient.djl.convert.FeatureConverter;
import io.github.randomgradient.djl.convert.OutputConverter;
import io.github.randomgradient.djl.protos.DJLModelProto;
import io.github.randomgradient.config.HasExampleShape;
import io.github.randomgradient.history.HasTrainingHistory;
import io.github.randomgradient.history.TrainingHistory;
import org.tribuo.Example;
import org.tribuo.Excuse;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.Output;
import org.tribuo.Prediction;
import org.tribuo.impl.ModelDataCarrier;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.provenance.ModelProvenance;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A Tribuo {@link Model} wrapping a trained DJL network (PyTorch engine).
 * <p>
 * The model stores what is needed to rebuild the network anywhere: the {@link BlockFactory}
 * configuration, the feature and output converters, the example shape and the parameters as
 * bytes ({@code Block.saveParameters}). It also keeps the {@link TrainingHistory} of the run. It
 * serialises both ways Tribuo 4.3 supports, Java serialisation and protobuf
 * ({@link #serialize()}), and predicts bitwise-identically after either round trip.
 * <p>
 * Prediction runs on the CPU in batches of {@code inferenceBatchSize}, input
 * {@code [batch, ...exampleShape]}, output {@code [batch, numOutputs]}, and is thread-safe: the
 * network is built once and each call uses its own native memory scope.
 * Like Tribuo's TensorFlow models, {@link #getTopFeatures} and {@link #getExcuse} return empty
 * results. {@link #close()} waits for predictions in progress, then frees the native memory; a
 * prediction after that throws {@link IllegalStateException} naming the model.
 * <p>
 * Integrity: the model stores the SHA-256 of its parameter bytes and each parameter's name and
 * shape ({@link ParameterIntegrity}). Loading (Java or protobuf) checks the digest, then rebuilds
 * the network from the block factory and checks every shape, failing with a message that names
 * what differs. A file written by a newer format version is refused as such, not as corrupt.
 * <p>
 * The format is a contract: files written by earlier builds load and predict bitwise as they did
 * when written (golden files of each format in this module's tests, {@code GoldenModelTest}).
 *
 * @param <T> The output type.
 */
public final class DJLModel<T extends Output<T>> extends Model<T> implements HasTrainingHistory, HasExampleShape, AutoCloseable {
    private static final long serialVersionUID = 1L;

    /**
     * Serialisation format version (protobuf and Java): 1 added the parameter digest and shapes.
     * Version-0 files load without those checks.
     */
    public static final int CURRENT_VERSION = 1;

    private final BlockFactory blockFactory;
    private final FeatureConverter featureConverter;
    private final OutputConverter<T> outputConverter;
    private final long[] exampleShape;
    private final int numOutputs;
    private final byte[] parameters;
    private final int inferenceBatchSize;
    private final TrainingHistory history;
    /** Null only in a Java-serialised version-0 model. */
    private String parameterSha256;
    /** Empty in a version-0 model (not final: version-0 Java streams leave it null until readObject). */
    private ArrayList<String> parameterShapes;
    /**
     * The memory format of the network's image input; null in Java-serialised models written
     * before it was recorded, which ran {@link MemoryFormat#CONTIGUOUS} ({@link MemoryFormat#orLegacy}).
     */
    private MemoryFormat memoryFormat;
    /** The format version this object was written with (Java serialisation). */
    private int formatVersion = CURRENT_VERSION;

    private transient volatile Network network;
    /** Predictions hold the read lock, {@link #close()} the write lock. */
    private transient ReentrantReadWriteLock lifetime = new ReentrantReadWriteLock(true);
    private transient volatile boolean closed;

    /** The network rebuilt for inference, with its native memory. */
    private static final class Network {
        final NDManager manager;
        final Block block;
        final FeatureConverter.Plan plan;

        Network(NDManager manager, Block block, FeatureConverter.Plan plan) {
            this.manager = manager;
            this.block = block;
            this.plan = plan;
        }
    }

    DJLModel(String name, ModelProvenance provenance, ImmutableFeatureMap featureIDMap, ImmutableOutputInfo<T> outputIDInfo,
             BlockFactory blockFactory, FeatureConverter featureConverter, OutputConverter<T> outputConverter,
             long[] exampleShape, int numOutputs, byte[] parameters, List<String> parameterShapes, int inferenceBatchSize,
             TrainingHistory history, MemoryFormat memoryFormat) {
        super(name, provenance, featureIDMap, outputIDInfo, outputConverter.generatesProbabilities());
        this.memoryFormat = java.util.Objects.requireNonNull(memoryFormat, "memoryFormat");
        this.blockFactory = blockFactory;
        this.featureConverter = featureConverter;
        this.outputConverter = outputConverter;
        this.exampleShape = exampleShape.clone();
        this.numOutputs = numOutputs;
        this.parameters = parameters.clone();
        this.parameterSha256 = Digests.sha256(this.parameters);
        this.parameterShapes = new ArrayList<>(parameterShapes);
        this.inferenceBatchSize = inferenceBatchSize;
        this.history = history;
    }

    /** Refuses newer formats, checks the digest and the shapes, and sets up the lifetime lock. */
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        if (formatVersion > CURRENT_VERSION) {
            throw new InvalidObjectException(newerVersion("DJLModel '" + name + "'", formatVersion));
        }
        lifetime = new ReentrantReadWriteLock(true);
        if (parameterShapes == null) {
            parameterShapes = new ArrayList<>();
        }
        try {
            verify();
        } catch (IllegalStateException e) {
            InvalidObjectException ex = new InvalidObjectException(e.getMessage());
            ex.initCause(e);
            throw ex;
        }
    }

    static String newerVersion(String what, int version) {
        return what + " was written by format version " + version + "; this build reads up to " + CURRENT_VERSION
                + ". Read it with a newer tribuo-rg.";
    }

    /**
     * Checks the stored parameters: their SHA-256, then (building the network, which starts the
     * PyTorch engine) each parameter's name and shape against those stored and those the block
     * factory builds. Runs when a model is loaded.
     * @throws IllegalStateException If anything differs; the message names the model and what differs.
     */
    public void verify() {
        String what = "DJLModel '" + name + "'";
        if (parameterSha256 == null) {
            return; // version 0: nothing stored to check against
        }
        ParameterIntegrity.checkDigest(what, parameters, parameterSha256);
        lifetime.readLock().lock();
        try {
            requireOpen();
            network();
        } finally {
            lifetime.readLock().unlock();
        }
    }

    /**
     * Deserialisation factory, called by Tribuo's {@code Model.deserialize}.
     * @param version The serialised version.
     * @param className The class name.
     * @param message The serialised data.
     * @return The model.
     * @throws InvalidProtocolBufferException If the message cannot be parsed.
     * @throws IllegalArgumentException If the version is newer than {@link #CURRENT_VERSION} (the message says
     *                                  "written by format version N; this build reads up to ...") or negative.
     * @throws IllegalStateException If the output domain does not match the output converter, or the
     *                               parameters fail their integrity checks (the message names what differs).
     */
    public static DJLModel<?> deserializeFromProto(int version, String className, Any message) throws InvalidProtocolBufferException {
        if (version > CURRENT_VERSION) {
            throw new IllegalArgumentException(newerVersion("this DJLModel", version));
        }
        if (version < 0) {
            throw new IllegalArgumentException("invalid DJLModel format version " + version + " (the file is corrupt)");
        }
        return ModelProtos.read(version, message);
    }

    @Override
    public ModelProto serialize() {
        ModelDataCarrier<T> carrier = createDataCarrier();
        DJLModelProto.Builder b = DJLModelProto.newBuilder()
                .setMetadata(Any.pack(carrier.serialize()))
                .setBlockFactory(ComponentSerialization.toProto(blockFactory))
                .setFeatureConverter(ComponentSerialization.toProto(featureConverter))
                .setOutputConverter(ComponentSerialization.toProto(outputConverter))
                .setNumOutputs(numOutputs)
                .setParameters(ByteString.copyFrom(parameters))
                .setInferenceBatchSize(inferenceBatchSize)
                .setHistory(ModelProtos.toProto(history))
                .setParametersSha256(parameterSha256)
                .addAllParameterShapes(parameterShapes)
                .setMemoryFormat(getMemoryFormat().name());
        for (long d : exampleShape) {
            b.addExampleShape(d);
        }
        return ModelProto.newBuilder()
                .setSerializedData(Any.pack(b.build()))
                .setClassName(DJLModel.class.getName())
                .setVersion(CURRENT_VERSION)
                .build();
    }

    private Network network() {
        Network n = network;
        if (n == null) {
            synchronized (this) {
                n = network;
                if (n == null) {
                    n = buildNetwork();
                    network = n;
                }
            }
        }
        return n;
    }

    /**
     * Builds the network from the block factory, checks its parameter shapes against the stored
     * ones, loads the stored parameters and checks their shapes too.
     */
    private Network buildNetwork() {
        DJLEngine.engine();
        String what = "DJLModel '" + name + "'";
        NDManager manager = NDManager.newBaseManager(Device.cpu(), DJLEngine.ENGINE_NAME);
        try {
            Block block = blockFactory.newBlock(exampleShape, numOutputs);
            if (!parameterShapes.isEmpty()) {
                long[] batchShape = new long[exampleShape.length + 1];
                batchShape[0] = 1;
                System.arraycopy(exampleShape, 0, batchShape, 1, exampleShape.length);
                block.initialize(manager, DataType.FLOAT32, new Shape(batchShape));
                ParameterIntegrity.checkShapes(what, parameterShapes, ParameterIntegrity.shapes(block),
                        "the network built by " + blockFactory);
            }
            block.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(parameters)));
            if (!parameterShapes.isEmpty()) {
                ParameterIntegrity.checkShapes(what, parameterShapes, ParameterIntegrity.shapes(block), "the parameter bytes");
            }
            return new Network(manager, block, featureConverter.plan(featureIDMap));
        } catch (IOException e) {
            manager.close();
            throw new UncheckedIOException(what + ": could not read the stored parameters", e);
        } catch (IllegalStateException e) {
            manager.close();
            throw e;
        } catch (MalformedModelException | RuntimeException e) {
            manager.close();
            throw new IllegalStateException(what + ": the stored parameters do not fit the network built by " + blockFactory
                    + ": " + e.getMessage(), e);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("DJLModel '" + name + "' has been closed; its native memory is freed and it "
                    + "cannot predict. Load or train the model again.");
        }
    }

    /**
     * Predicts one example.
     * <p>
     * A lone example is checked only for features outside the model's input (e.g. a pixel of a
     * larger image). An image <em>smaller</em> than the model's cannot be told from one of the
     * right size: a 20x20 image names pixels {@code 000} to {@code 399}, all of them pixels of a
     * 28x28 image, and an example lists only its non-zero pixels (as Tribuo's {@code IDXDataSource}
     * writes them), so it looks like a 28x28 image whose other pixels are 0. Only a feature domain
     * shows the image size: score a {@link org.tribuo.Dataset} ({@link #predict(org.tribuo.Dataset)}),
     * which is checked as a whole, when the data's origin is not known to fit.
     * @param example The example.
     * @return The prediction.
     * @throws IllegalArgumentException If none of the example's features is known to the model, or one
     *                                  does not fit its input (e.g. a pixel of a larger image).
     */
    @Override
    public Prediction<T> predict(Example<T> example) {
        lifetime.readLock().lock();
        try {
            requireOpen();
            return predictBatch(Collections.singletonList(example)).get(0);
        } finally {
            lifetime.readLock().unlock();
        }
    }

    /**
     * Predicts a dataset in batches of {@code inferenceBatchSize}. Tribuo's evaluators
     * ({@code AbstractEvaluator.evaluate(Model, Dataset)}, e.g. {@code LabelEvaluator}) score through
     * this method, so they are checked too.
     * <p>
     * Before anything is scored, the dataset's feature domain must pass the shape check the training
     * data passed ({@link FeatureConverter#checkData}): for an {@code ImageConverter}, it must name
     * exactly the {@code C*H*W} pixels of the model's input, so 20x20 images are refused by a 28x28
     * model (their pixel names alone would all be valid, see {@link #predict(Example)}).
     * @param examples The examples.
     * @return One prediction per example, in order.
     * @throws IllegalArgumentException If the dataset's feature domain fails the shape check, an example
     *                                  has no feature known to the model, or a feature that does not fit
     *                                  its input (e.g. a pixel of a larger image); the message names the
     *                                  model's input and the dataset's file where its provenance records one.
     */
    @Override
    public List<Prediction<T>> predict(org.tribuo.Dataset<T> examples) {
        try {
            featureConverter.checkData(examples.getFeatureIDMap(), DJLTrainer.sourceFile(examples));
            return super.predict(examples);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("DJLModel '" + name + "' (input " + Arrays.toString(exampleShape)
                    + ") cannot score the data" + DJLTrainer.describeSource(examples) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Predicts examples in batches of {@code inferenceBatchSize}. A {@link org.tribuo.Dataset} (which
     * carries its feature domain) is checked as in {@link #predict(org.tribuo.Dataset)}; other
     * iterables (a {@code DataSource}, a list) carry no domain, so each example is checked alone, as in
     * {@link #predict(Example)}, and an image smaller than the model's input cannot be found.
     * @param examples The examples.
     * @return One prediction per example, in order.
     * @throws IllegalArgumentException As {@link #predict(org.tribuo.Dataset)} for a dataset, else as
     *                                  {@link #predict(Example)}.
     */
    @Override
    public List<Prediction<T>> predict(Iterable<Example<T>> examples) {
        if (examples instanceof org.tribuo.Dataset) {
            return predict((org.tribuo.Dataset<T>) examples);
        }
        return super.predict(examples);
    }

    /**
     * Predicts examples in batches of {@code inferenceBatchSize}.
     * @param examples The examples.
     * @return One prediction per example, in order.
     * @throws IllegalArgumentException If an example has no feature known to the model.
     */
    @Override
    protected List<Prediction<T>> innerPredict(Iterable<Example<T>> examples) {
        lifetime.readLock().lock();
        try {
            requireOpen();
            return predictAll(examples);
        } finally {
            lifetime.readLock().unlock();
        }
    }

    private List<Prediction<T>> predictAll(Iterable<Example<T>> examples) {
        List<Prediction<T>> out = new ArrayList<>();
        List<Example<T>> batch = new ArrayList<>(inferenceBatchSize);
        Iterator<Example<T>> it = examples.iterator();
        while (it.hasNext()) {
            batch.add(it.next());
            if (batch.size() == inferenceBatchSize || !it.hasNext()) {
                out.addAll(predictBatch(batch));
                batch.clear();
            }
        }
        return out;
    }

    private List<Prediction<T>> predictBatch(List<Example<T>> batch) {
        Network n = network();
        int size = n.plan.exampleSize();
        float[] input = new float[batch.size() * size];
        int[] used = n.plan.fill(batch, input);
        for (int i = 0; i < used.length; i++) {
            if (used[i] == 0) {
                throw new IllegalArgumentException("No features found in Example " + batch.get(i));
            }
        }
        MemoryFormat format = getMemoryFormat();
        long[] shape = format.storedShape(batch.size(), exampleShape);
        float[] outputs;
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager scope = n.manager.newSubManager()) {
            NDArray x = format.toInput(scope.create(format.toStored(input, exampleShape), new Shape(shape)), exampleShape);
            NDList result = n.block.forward(new ParameterStore(scope, false), new NDList(x), false);
            outputs = result.singletonOrThrow().toFloatArray();
        } finally {
            JniUtils.setGradMode(gradMode);
        }
        List<Prediction<T>> predictions = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            float[] row = Arrays.copyOfRange(outputs, i * numOutputs, (i + 1) * numOutputs);
            predictions.add(outputConverter.toPrediction(row, outputIDInfo, used[i], batch.get(i)));
        }
        return predictions;
    }

    /**
     * Deep networks have no per-feature weights; like Tribuo's TensorFlow models this returns an empty map.
     * @param n Ignored.
     * @return An empty map.
     */
    @Override
    public Map<String, List<Pair<String, Double>>> getTopFeatures(int n) {
        return Collections.emptyMap();
    }

    /**
     * Deep networks give no per-example excuse; like Tribuo's TensorFlow models this returns empty.
     * @param example Ignored.
     * @return {@link Optional#empty()}.
     */
    @Override
    public Optional<Excuse<T>> getExcuse(Example<T> example) {
        return Optional.empty();
    }

    @Override
    protected DJLModel<T> copy(String newName, ModelProvenance newProvenance) {
        return new DJLModel<>(newName, newProvenance, featureIDMap, outputIDInfo, blockFactory, featureConverter,
                outputConverter, exampleShape, numOutputs, parameters, parameterShapes, inferenceBatchSize, history, memoryFormat);
    }

    @Override
    public TrainingHistory getTrainingHistory() {
        return history;
    }

    /**
     * Did training stop on a non-finite loss ({@code divergencePolicy=STOP})?
     * @return True if the run diverged; the parameters are then the last finite ones.
     */
    public boolean isDiverged() {
        return history.isDiverged();
    }

    /**
     * The network's parameters as written by DJL's {@code Block.saveParameters}.
     * @return A copy of the parameter bytes.
     */
    public byte[] getParameterBytes() {
        return parameters.clone();
    }

    /**
     * The block factory that defines the network.
     * @return The block factory.
     */
    public BlockFactory getBlockFactory() {
        return blockFactory;
    }

    /**
     * The shape of one input example, without the batch dimension.
     * @return The example shape, e.g. {@code [1, 28, 28]}.
     */
    @Override
    public long[] getExampleShape() {
        return exampleShape.clone();
    }

    /**
     * The memory format the network ran in during training and runs in when predicting (the
     * trainer's {@code memoryFormat}). Models written before it was recorded ran, and predict,
     * {@link MemoryFormat#CONTIGUOUS}.
     * @return The memory format.
     */
    public MemoryFormat getMemoryFormat() {
        return MemoryFormat.orLegacy(memoryFormat);
    }

    /**
     * Waits for predictions in progress, then frees the native memory of the network. The model
     * cannot predict afterwards: {@link #predict} throws {@link IllegalStateException} naming it.
     * Closing twice is harmless.
     */
    @Override
    public void close() {
        lifetime.writeLock().lock();
        try {
            closed = true;
            Network n = network;
            network = null;
            if (n != null) {
                n.manager.close();
            }
        } finally {
            lifetime.writeLock().unlock();
        }
    }

    /**
     * Each parameter's name and shape as stored with the model.
     * @return For example {@code [01Linear_weight (32, 2), ...]}; empty for a version-0 file.
     */
    public List<String> getParameterShapes() {
        return Collections.unmodifiableList(parameterShapes);
    }

    /**
     * The SHA-256 of the parameter bytes, as stored with the model.
     * @return 64 lower-case hex digits; null for a model Java-serialised at format version 0.
     */
    public String getParameterSha256() {
        return parameterSha256;
    }

    @Override
    public String toString() {
        return "DJLModel(name=" + name + ",blockFactory=" + blockFactory + ",exampleShape=" + Arrays.toString(exampleShape)
                + ",numOutputs=" + numOutputs + ",memoryFormat=" + getMemoryFormat() + ",epochs=" + history.epochs().size()
                + (history.isDiverged() ? ",diverged" : "") + ")";
    }
}
