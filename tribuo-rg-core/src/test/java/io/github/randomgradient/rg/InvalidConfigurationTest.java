package io.github.randomgradient.rg;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every invalid loss-scale value is rejected, through the Java API and in an XML config at load time,
 * with a message naming the field and the value.
 */
public class InvalidConfigurationTest {

    @TempDir
    Path tmp;

    private static void assertRejected(Executable construct, String field, String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construct);
        assertTrue(e.getMessage().contains(field), "message should name " + field + ": " + e.getMessage());
        assertTrue(e.getMessage().contains(value), "message should show " + value + ": " + e.getMessage());
    }

    @Test
    public void javaApiRejectsBadValues() {
        assertRejected(() -> new ConstantLossScale(Double.NaN), "value", "NaN");
        assertRejected(() -> new ConstantLossScale(-1.0), "value", "-1.0");
        assertRejected(() -> new ConstantLossScale(Double.POSITIVE_INFINITY), "value", "Infinity");
        assertRejected(() -> new UniformLossScale(Double.NaN, 1.0), "low", "NaN");
        assertRejected(() -> new UniformLossScale(0.0, Double.POSITIVE_INFINITY), "high", "Infinity");
        assertRejected(() -> new UniformLossScale(-0.1, 1.0), "low", "-0.1");
        assertRejected(() -> new UniformLossScale(0.5, 0.2), "high", "0.2");
        assertRejected(() -> new UniformLossScale(0.0, 1.0, 1.5, false), "applyProbability", "1.5");
        assertRejected(() -> new UniformLossScale(0.0, 1.0, -0.5, false), "applyProbability", "-0.5");
        assertRejected(() -> new UniformLossScale(0.0, 1.0, Double.NaN, false), "applyProbability", "NaN");
        assertRejected(() -> new UniformLossScale(0.0, 0.0, 1.0, true), "meanPreserving", "E[u]=0");
        assertRejected(() -> new CyclicalLossScale(0.0, 1.0, 0), "stepSize", "0");
        assertRejected(() -> new CyclicalLossScale(-1.0, 1.0, 10), "low", "-1.0");
        assertRejected(() -> new CyclicalLossScale(1.0, 0.5, 10), "high", "0.5");
        assertRejected(() -> new CyclicalLossScale(0.0, Double.NaN, 10), "high", "NaN");
        assertRejected(() -> new CyclicalLossScale(0.0, 1.0, 10, CyclicalLossScale.Mode.EXP_RANGE, 1.5), "gamma", "1.5");
        assertRejected(() -> new RandomGradientOptimiser(null), "optimiser", "null");
    }

    @Test
    public void everyLossScaleRejectsAFactorBeyondFloat32() {
        // 1e39 is finite as a double but +Inf once it multiplies a float32 loss: a one-step run returned NaN parameters.
        assertRejected(() -> new ConstantLossScale(1e39), "value", "1.0E39");
        assertRejected(() -> new UniformLossScale(0.0, 1e39), "high", "1.0E39");
        assertRejected(() -> new UniformLossScale(1e39, 1e39), "low", "1.0E39");
        assertRejected(() -> new CyclicalLossScale(0.0, 1e39, 10), "high", "1.0E39");
        // the largest float32 is still a legal (if unwise) factor, and so is 0
        assertEquals(Float.MAX_VALUE, new ConstantLossScale(Float.MAX_VALUE).max(), 0.0);
        assertEquals(0.0, new ConstantLossScale(0.0).max(), 0.0);
        assertEquals(0.0, new UniformLossScale(0.0, 0.0).max(), 0.0);
    }

    @ParameterizedTest(name = "{0} {1}={2}")
    @CsvSource({
            "ConstantLossScale, value, NaN",
            "ConstantLossScale, value, -2.0",
            "ConstantLossScale, value, Infinity",
            "UniformLossScale, low, NaN",
            "UniformLossScale, low, -0.5",
            "UniformLossScale, high, -Infinity",
            "UniformLossScale, applyProbability, 1.01",
            "UniformLossScale, applyProbability, -0.01",
            "CyclicalLossScale, stepSize, 0",
            "CyclicalLossScale, low, -1.0",
            "CyclicalLossScale, high, NaN",
            "CyclicalLossScale, gamma, 0.0",
            "ConstantLossScale, value, 1.0E39",
            "UniformLossScale, high, 1.0E39",
            "CyclicalLossScale, high, 1.0E39",
    })
    public void xmlConfigRejectsBadValueAtLoadTime(String className, String field, String value) throws IOException {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<config>\n"
                + "  <component name=\"scale\" type=\"io.github.randomgradient.rg." + className + "\">\n"
                + "    <property name=\"" + field + "\" value=\"" + value + "\"/>\n"
                + "  </component>\n</config>\n";
        assertXmlRejected(xml, field, value);
    }

    @Test
    public void xmlConfigRejectsHighBelowLowAndMeanPreservingWithZeroMean() throws IOException {
        assertXmlRejected(component("UniformLossScale", "<property name=\"low\" value=\"0.7\"/><property name=\"high\" value=\"0.3\"/>"),
                "high", "0.3");
        assertXmlRejected(component("UniformLossScale", "<property name=\"low\" value=\"0.0\"/><property name=\"high\" value=\"0.0\"/>"
                + "<property name=\"meanPreserving\" value=\"true\"/>"), "meanPreserving", "E[u]=0");
    }

    private static String component(String className, String properties) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<config>\n"
                + "  <component name=\"scale\" type=\"io.github.randomgradient.rg." + className + "\">\n"
                + properties + "\n  </component>\n</config>\n";
    }

    private void assertXmlRejected(String xml, String field, String value) throws IOException {
        Path config = Files.createTempFile(tmp, "bad", ".xml");
        Files.writeString(config, xml);
        ConfigurationManager cm = new ConfigurationManager(config.toString());
        PropertyException e = assertThrows(PropertyException.class, () -> cm.lookup("scale"));
        assertTrue(e.getMessage().contains(field), "message should name " + field + ": " + e.getMessage());
        assertTrue(e.getMessage().contains(value), "message should show " + value + ": " + e.getMessage());
    }
}
