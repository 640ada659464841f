package io.github.randomgradient.sweep;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The one identity rule of every plan. Reference digests computed with Python's hashlib:
 * {@code hashlib.sha256(b'{a=1, b=2}\nDATA').hexdigest()}.
 */
public class PlannedRunIdentityTest {

    @Test
    public void withoutExtrasTheIdentityIsTheOneSweepsHaveAlwaysRecorded() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("b", "2");
        config.put("a", "1");   // sorted before hashing: the order fields were read in does not matter
        assertEquals("e95d68dffee49d04114823772b937efe3f7a2286000252418018fea29ccb53bc", PlannedRun.identity(config, "DATA", Map.of()));
    }

    @Test
    public void extrasAreSortedAndHashedAfterTheData() {
        Map<String, String> extras = new LinkedHashMap<>();
        extras.put("z", "1");
        extras.put("numeric.env", "x86-64");
        assertEquals("f60b545a2b1be3567110203ed5a05b3f6ae47f80192fec5c6850c68a077122a9",
                PlannedRun.identity(Map.of("a", "1", "b", "2"), "DATA", extras));
    }
}
