package io.github.randomgradient.data;

import io.github.randomgradient.data.DataException;
import io.github.randomgradient.data.DataLoading;
import io.github.randomgradient.data.IdxFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.datasource.IDXDataSource;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The IDX checks and the loading policy: an all-zero image is kept (pixel 0 explicit, value 0),
 * an empty source or an example without features from another source is refused with its name,
 * and IDX files are read as Tribuo writes them.
 */
public class DataChecksTest {

    @TempDir
    Path tmp;

    /** Three 2x2 images, the second all zero; labels 0, 1, 0. */
    private IdxPairFiles write() throws IOException {
        Path images = tmp.resolve("images.idx.gz");
        Path labels = tmp.resolve("labels.idx.gz");
        IDXDataSource.IDXData.createIDXData(IDXDataSource.IDXType.UBYTE, new int[]{3, 2, 2},
                new double[]{1, 2, 3, 4, 0, 0, 0, 0, 9, 0, 0, 7}).save(images, true);
        IDXDataSource.IDXData.createIDXData(IDXDataSource.IDXType.UBYTE, new int[]{3}, new double[]{0, 1, 0}).save(labels, true);
        return new IdxPairFiles(images, labels);
    }

    private record IdxPairFiles(Path images, Path labels) {}

    @Test
    public void idxFilesWrittenByTribuoPassTheChecks() throws IOException {
        IdxPairFiles f = write();
        DataChecks.IdxPair pair = DataChecks.checkIdxPair(f.images(), f.labels(), "training data");
        assertEquals(3, pair.images().count());
        assertEquals(List.of(2, 2), List.of(pair.imageShape()[0], pair.imageShape()[1]));
        assertEquals(4, pair.pixels());
        assertEquals(0x08, pair.images().type());
    }

    @Test
    public void anAllZeroImageIsKeptWithAnExplicitZeroPixel() throws IOException {
        IdxPairFiles f = write();
        DataChecks.IdxPair pair = DataChecks.checkIdxPair(f.images(), f.labels(), "training data");
        IDXDataSource<Label> source = new IDXDataSource<>(f.images(), f.labels(), new LabelFactory());
        Dataset<Label> data = DataChecks.load(source, "training data", Optional.of(pair));
        assertEquals(3, data.size());
        Example<Label> zero = data.getExample(1);
        assertEquals("1", zero.getOutput().getLabel());
        assertEquals(1, zero.size());
        Feature only = zero.iterator().next();
        assertEquals("0", only.getName(), "pixel 0, named as IDXDataSource names 4 pixels");
        assertEquals(0.0, only.getValue());
        assertEquals(4, data.getExample(0).size(), "other images are unchanged");
        assertEquals(source.getProvenance(), data.getProvenance().getSourceProvenance(), "the source's provenance is kept");
    }

    @Test
    public void everyPixelOfTheHeaderIsNamedEvenIfZeroInEveryImage() throws IOException {
        // Two 2x2 images whose pixel 3 is 0 in both: Tribuo's IDXDataSource leaves it out of the
        // feature map (3 features, like a 3-pixel image); loading names it on the first example, value 0.
        Path images = tmp.resolve("sparse-images.idx.gz");
        Path labels = tmp.resolve("sparse-labels.idx.gz");
        IDXDataSource.IDXData.createIDXData(IDXDataSource.IDXType.UBYTE, new int[]{2, 2, 2},
                new double[]{1, 2, 0, 0, 0, 5, 6, 0}).save(images, true);
        IDXDataSource.IDXData.createIDXData(IDXDataSource.IDXType.UBYTE, new int[]{2}, new double[]{0, 1}).save(labels, true);
        IDXDataSource<Label> source = new IDXDataSource<>(images, labels, new LabelFactory());
        assertEquals(3, new org.tribuo.MutableDataset<>(source).getFeatureMap().size(), "Tribuo alone");
        DataChecks.IdxPair pair = DataChecks.checkIdxPair(images, labels, "training data");
        Dataset<Label> data = DataChecks.load(source, "training data", Optional.of(pair));
        assertEquals(4, data.getFeatureMap().size());
        Example<Label> first = data.getExample(0);
        assertEquals(3, first.size());
        assertEquals(0.0, first.lookup("3").getValue());
        assertEquals(2, data.getExample(1).size(), "other images are unchanged");
        // The same through the source alone (the sweep's workers): its images file is found from its provenance.
        Dataset<Label> viaProvenance = DataLoading.load(source, "training data", DataLoading.idxImages(source, "training data"));
        assertEquals(4, viaProvenance.getFeatureMap().size());
    }

    @Test
    public void pixelNamesMatchTribuos() {
        assertEquals("000", DataLoading.pixelName(784, 0));
        assertEquals("0000", DataLoading.pixelName(1024, 0));
        assertEquals("0", DataLoading.pixelName(4, 0));
    }

    @Test
    public void anEmptySourceIsNamed() {
        ListDataSource<Label> empty = new ListDataSource<>(List.of(), new LabelFactory(), new SimpleDataSourceProvenance("my-csv", new LabelFactory()));
        DataException e = assertThrows(DataException.class, () -> DataChecks.load(empty, "test data 'my-csv'", Optional.empty()));
        assertTrue(e.getMessage().contains("the test data 'my-csv' is empty"), e.getMessage());
    }

    @Test
    public void anExampleWithoutFeaturesFromAnotherSourceIsNamed() {
        LabelFactory f = new LabelFactory();
        ArrayExample<Label> ok = new ArrayExample<>(f.generateOutput("a"), new String[]{"x"}, new double[]{1});
        ArrayExample<Label> none = new ArrayExample<>(f.generateOutput("b"));
        ListDataSource<Label> source = new ListDataSource<>(List.of(ok, none), f, new SimpleDataSourceProvenance("my-csv", f));
        DataException e = assertThrows(DataException.class, () -> DataChecks.load(source, "training data", Optional.empty()));
        assertTrue(e.getMessage().contains("example 1 of the training data") && e.getMessage().contains("has no features"), e.getMessage());
    }

    @Test
    public void truncationIsReportedAtTheByteWhereTheDataEnds() throws IOException {
        Path raw = tmp.resolve("cut.idx");
        // header for 2 images of 2x2 (16 bytes) and only 5 of the 8 pixel bytes
        java.nio.file.Files.write(raw, new byte[]{0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2, 3, 4, 5});
        DataException e = assertThrows(DataException.class, () -> IdxFile.check(raw, 3, "images"));
        assertTrue(e.getMessage().contains("truncated at byte 21") && e.getMessage().contains("2 images of 2x2, 24 bytes")
                && e.getMessage().contains("cut.idx"), e.getMessage());
    }
}
