package io.github.randomgradient.sweep;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A worker's failure line (its probe's too) names the cause of a wrapped exception, not a bare
 * {@code InvocationTargetException}.
 */
public class SweepWorkerTest {

    @Test
    public void aWrappedFailureIsReportedWithItsCauses() {
        Exception e = new IllegalStateException(new InvocationTargetException(new IOException("No space left on device\nwhile extracting libtorch")));
        String line = SweepWorker.oneLine(e);
        assertTrue(line.contains("InvocationTargetException") && line.contains("IOException: No space left on device while extracting libtorch"), line);
        assertTrue(!line.contains("\n"), line);
        // A message that already holds its cause's text is not repeated.
        Exception same = new RuntimeException("cannot load engine: disk full", new IOException("disk full"));
        assertEquals("RuntimeException: cannot load engine: disk full", SweepWorker.oneLine(same));
    }
}
