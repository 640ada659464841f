package io.github.randomgradient.images;

import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import org.junit.jupiter.api.Test;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.ImmutableDataset;
import org.tribuo.MutableDataset;
import org.tribuo.RealInfo;
import org.tribuo.VariableInfo;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.dataset.DatasetView;
import org.tribuo.datasource.IDXDataSource;
import org.tribuo.test.Helpers;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link IdxImageDataSource} and {@link DenseImageDataset} on the bundled Fashion-MNIST test images
 * (2,000), against Tribuo's {@link IDXDataSource} and {@link MutableDataset} of the same files.
 */
class DenseImageDatasetTest {

    private static final Path DIR = Paths.get("..", "data", "fashion-mnist-subset");
    private static final Path IMAGES = DIR.resolve("t10k-images-idx3-ubyte.gz");
    private static final Path LABELS = DIR.resolve("t10k-labels-idx1-ubyte.gz");

    private static IdxImageDataSource<Label> source() throws IOException {
        return new IdxImageDataSource<>(IMAGES, LABELS, new LabelFactory());
    }

    private static Map<String, String> flat(ObjectProvenance p) {
        Map<String, String> out = new TreeMap<>();
        for (Pair<String, Provenance> e : p) {
            out.put(e.getA(), e.getB() instanceof ObjectProvenance o ? "{" + flat(o) + "}" : e.getB().toString());
        }
        return out;
    }

    @Test
    void examplesAndDomainsAreThoseOfTribuosIdxPath() throws IOException {
        IDXDataSource<Label> tribuoSource = new IDXDataSource<>(IMAGES, LABELS, new LabelFactory());
        MutableDataset<Label> tribuo = new MutableDataset<>(tribuoSource);
        DenseImageDataset<Label> dense = source().dataset();
        assertEquals(2000, dense.size());
        assertEquals(784, dense.pixelsPerImage());
        assertArrayEquals(new int[]{28, 28}, dense.imageShape());
        Iterator<Example<Label>> expected = tribuo.iterator();
        int i = 0;
        for (Example<Label> e : dense) {
            Example<Label> t = expected.next();
            assertEquals(t.getOutput(), e.getOutput(), "label of example " + i);
            assertEquals(features(t), features(e), "features of example " + i);
            assertEquals(features(t), features(dense.getExample(i)));
            assertEquals(t.getOutput(), dense.output(i));
            i++;
        }
        assertFalse(expected.hasNext());
        // output ids: observed in example order, as MutableDataset does
        for (Label l : tribuo.getOutputs()) {
            assertEquals(tribuo.getOutputIDInfo().getID(l), dense.getOutputIDInfo().getID(l), l.getLabel());
        }
        assertEquals(10, dense.getOutputIDInfo().size());
        // feature domain: every pixel named, ids in name order; statistics of the non-zero values
        assertEquals(784, dense.getFeatureIDMap().size());
        assertEquals(783, tribuo.getFeatureIDMap().size());   // one pixel is 0 in all 2,000 images
        for (VariableInfo info : dense.getFeatureIDMap()) {
            int p = Integer.parseInt(info.getName());
            assertEquals(p, dense.getFeatureIDMap().getID(info.getName()));
            VariableInfo t = tribuo.getFeatureMap().get(info.getName());
            if (t == null) {
                assertEquals(0, info.getCount(), info.getName());
                continue;
            }
            assertEquals(t.getCount(), info.getCount(), info.getName());
            if (t instanceof RealInfo r) {
                RealInfo d = (RealInfo) info;
                assertEquals(r.getMin(), d.getMin(), info.getName());
                assertEquals(r.getMax(), d.getMax(), info.getName());
                assertEquals(r.getMean(), d.getMean(), 1e-9 * Math.abs(r.getMean()), info.getName());
                assertEquals(r.getVariance(), d.getVariance(), 1e-9 * r.getVariance(), info.getName());
            }
        }
    }

    private static List<String> features(Example<Label> e) {
        List<String> out = new ArrayList<>();
        for (Feature f : e) {
            out.add(f.getName() + "=" + f.getValue());
        }
        return out;
    }

    @Test
    void provenanceRecordsFilesHashesAndCounts() throws IOException {
        IdxImageDataSource<Label> source = source();
        Map<String, String> p = flat(source.getProvenance());
        assertEquals(IdxImageDataSource.class.getName(), p.get("class-name"));
        assertEquals(IMAGES.toAbsolutePath().normalize().toString(), p.get("featuresPath"));
        assertEquals(LABELS.toAbsolutePath().normalize().toString(), p.get("outputPath"));
        // sha256sum of the bundled files
        assertEquals("SHA-256[C1DD7BC1BAF94E844B001BCE8B5DE516D6F7D75A8D888A2F91B2A4CC43F71DA8]", p.get("features-resource-hash"));
        assertEquals("SHA-256[AFD1C0F16DD7BC3A74DD0587A2D6436C699AEB14F852AD97FBD0DE8EB1EFAF0F]", p.get("output-resource-hash"));
        assertEquals("[2000, 28, 28]", p.get("idx-image-shape"));
        assertTrue(p.containsKey("datasource-creation-time") && p.containsKey("features-file-modified-time"));
        // the hashes are those Tribuo's IDXDataSource records for the same files
        Map<String, String> tribuo = flat(new IDXDataSource<>(IMAGES, LABELS, new LabelFactory()).getProvenance());
        assertEquals(tribuo.get("features-resource-hash"), p.get("features-resource-hash"));
        assertEquals(tribuo.get("output-resource-hash"), p.get("output-resource-hash"));

        Map<String, String> d = flat(source.dataset().getProvenance());
        assertEquals(DenseImageDataset.class.getName(), d.get("class-name"));
        assertEquals("2000", d.get("num-examples"));
        assertEquals("784", d.get("num-features"));
        assertEquals("10", d.get("num-outputs"));
        Helpers.testProvenanceMarshalling(source.getProvenance());
        Helpers.testProvenanceMarshalling(source.dataset().getProvenance());
    }

    @Test
    void viewsHaveTheProvenanceOfTribuosDatasetView() throws IOException {
        DenseImageDataset<Label> dense = source().dataset();
        int[] indices = {5, 1999, 5, 0};
        for (boolean store : new boolean[]{true, false}) {
            DenseImageDataset<Label> view = dense.view(indices, "sweep-validation", store);
            DatasetView<Label> tribuo = new DatasetView<>(dense, indices, "sweep-validation");
            tribuo.setStoreIndices(store);
            assertEquals(tribuo.getProvenance(), view.getProvenance());
            assertEquals(4, view.size());
            assertEquals(features(dense.getExample(1999)), features(view.getExample(1)));
            assertEquals(dense.output(5), view.output(2));
            assertEquals(1999, view.imageIndex(1));
            assertEquals(dense.getFeatureIDMap(), view.getFeatureIDMap());
            Map<String, String> p = flat(view.getProvenance());
            assertEquals(store ? "[5, 1999, 5, 0]" : "[]", p.get("indices").replaceAll("IntProvenance\\(|\\)", ""), p.toString());
            assertEquals("sweep-validation", p.get("tag"));
        }
        assertThrows(IllegalArgumentException.class, () -> dense.view(new int[]{2000}, "x", false));
    }

    @Test
    void serialisesAsAnImmutableDataset() throws IOException {
        DenseImageDataset<Label> dense = source().dataset().view(new int[]{3, 4, 5}, "three", false);
        Dataset<?> back = Dataset.deserialize(dense.serialize());
        assertTrue(back instanceof ImmutableDataset);
        assertEquals(3, back.size());
        assertEquals(features(dense.getExample(2)), features(Dataset.castDataset(back, Label.class).getExample(2)));
    }

    @Test
    void refusesFilesItCannotRead() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new IdxImageDataSource<>(LABELS, LABELS, new LabelFactory()));
        assertTrue(e.getMessage().contains(LABELS.toString()) && e.getMessage().contains("IDXDataSource"), e.getMessage());
        IllegalArgumentException counts = assertThrows(IllegalArgumentException.class,
                () -> new IdxImageDataSource<>(IMAGES, DIR.resolve("train-labels-idx1-ubyte.gz"), new LabelFactory()));
        assertTrue(counts.getMessage().contains("2000 images") && counts.getMessage().contains("10000 labels"), counts.getMessage());
    }
}
