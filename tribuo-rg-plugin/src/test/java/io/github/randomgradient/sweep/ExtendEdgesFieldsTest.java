package io.github.randomgradient.sweep;

import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.config.property.ListProperty;
import com.oracle.labs.mlrg.olcut.config.property.Property;
import com.oracle.labs.mlrg.olcut.config.property.SimpleProperty;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@link Sweep}'s grid-extension fields: defaults (off, 2 rounds), set, and a negative limit refused. */
public class ExtendEdgesFieldsTest {

    private static Sweep sweep(Map<String, Property> extra) {
        ConfigurationManager cm = new ConfigurationManager();
        Map<String, Property> p = new LinkedHashMap<>();
        p.put("trainer", new SimpleProperty("t"));
        p.put("trainSource", new SimpleProperty("train"));
        p.put("testSource", new SimpleProperty("test"));
        p.put("seeds", ListProperty.createFromStringList(List.of("1", "2")));
        p.putAll(extra);
        cm.addConfiguration(new ConfigurationData("s", Sweep.class.getName(), p));
        return (Sweep) cm.lookup("s");
    }

    @Test
    public void defaultsSetAndRefused() {
        Sweep plain = sweep(Map.of());
        assertFalse(plain.isExtendEdges());
        assertEquals(2, plain.getMaxExtensions());
        Sweep set = sweep(Map.of("extendEdges", new SimpleProperty("true"), "maxExtensions", new SimpleProperty("5")));
        assertTrue(set.isExtendEdges());
        assertEquals(5, set.getMaxExtensions());
        PropertyException e = assertThrows(PropertyException.class, () -> sweep(Map.of("maxExtensions", new SimpleProperty("-1"))));
        assertEquals("maxExtensions", e.getProperty());
        assertTrue(e.getMsg().contains("-1"), e.getMsg());
    }
}
