package io.github.randomgradient.djl;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps glibc's allocator from handing libtorch's per-step tensor memory back to the kernel.
 * <p>
 * libtorch's CPU allocator calls {@code malloc}/{@code free} for every activation and gradient of
 * every mini-batch. With glibc's defaults, allocations of a few MiB (e.g. a {@code [64, 16, 28, 28]}
 * float activation, 3.2 MiB) are served by {@code mmap} and returned with {@code munmap}, and the
 * top of the heap is trimmed back to the kernel after frees, so each step page-faults its
 * working set in again. Measured on this project's 2-core machine (one PyTorch thread, full
 * Fashion-MNIST, the configs' CNN, batch 64): an epoch took 50.1 s with glibc's defaults and 20.9 s
 * with {@code mmap} reserved for blocks of 32 MiB or more and trimming above 1 GiB of free top
 * memory; the losses were identical, only the allocator's behaviour differs. Later epochs of a run
 * are less affected because glibc's dynamic threshold adapts, which is why the first epoch of
 * every run was the slow one.
 * <p>
 * {@link #tune()} sets {@code M_MMAP_THRESHOLD} to 32 MiB and {@code M_TRIM_THRESHOLD} to 1 GiB
 * through {@code mallopt(3)}, once, on Linux with glibc, via JNA (already on DJL's classpath), when
 * the system property {@code tribuo.rg.tuneMalloc=true} is set, and not if the user set
 * {@code MALLOC_MMAP_THRESHOLD_} or {@code MALLOC_TRIM_THRESHOLD_} in the environment. The cost is
 * that freed memory stays with the process (resident memory does not shrink between steps).
 * <p>
 * It is off by default: once in about ten test-suite runs after it was introduced, a CNN's first step
 * produced a non-finite gradient from a finite loss (caught by the divergence check, never returned
 * as a model), and 20 further runs of that test (16 with the tuning, 4 without) did not reproduce it. Until
 * that is understood, a setting that makes libtorch reuse dirty heap memory instead of fresh pages
 * stays opt-in.
 * <pre>
 * Reference: mallopt(3), M_MMAP_THRESHOLD and M_TRIM_THRESHOLD (glibc).
 * </pre>
 */
final class NativeAllocator {

    private static final Logger logger = Logger.getLogger(NativeAllocator.class.getName());

    /** glibc's {@code M_TRIM_THRESHOLD}. */
    private static final int M_TRIM_THRESHOLD = -1;
    /** glibc's {@code M_MMAP_THRESHOLD}. */
    private static final int M_MMAP_THRESHOLD = -3;
    /** Blocks of 32 MiB or more still come from mmap (the largest value glibc accepts on 64-bit). */
    static final int MMAP_THRESHOLD_BYTES = 32 << 20;
    /** Free memory at the top of the heap is only returned to the kernel above 1 GiB. */
    static final int TRIM_THRESHOLD_BYTES = 1 << 30;

    private static boolean done = false;

    private NativeAllocator() {}

    /**
     * Applies the allocator settings once per JVM, if this is Linux with glibc and the user has not
     * set them; logs and carries on if they cannot be applied.
     * @return True if {@code mallopt} accepted both settings in this call.
     */
    static synchronized boolean tune() {
        if (done) {
            return false;
        }
        done = true;
        if (!Platform.isLinux() || !"true".equalsIgnoreCase(System.getProperty("tribuo.rg.tuneMalloc"))
                || System.getenv("MALLOC_MMAP_THRESHOLD_") != null || System.getenv("MALLOC_TRIM_THRESHOLD_") != null) {
            return false;
        }
        try {
            Function mallopt = NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getFunction("mallopt");
            boolean ok = mallopt.invokeInt(new Object[]{M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES}) == 1
                    && mallopt.invokeInt(new Object[]{M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES}) == 1;
            logger.fine(() -> "mallopt: mmap threshold 32 MiB, trim threshold 1 GiB: " + (ok ? "applied" : "refused"));
            return ok;
        } catch (RuntimeException | LinkageError e) {
            // Not glibc (e.g. musl) or no JNA: the defaults stay; training is only slower.
            logger.log(Level.FINE, "mallopt not available; keeping the C library's allocator defaults", e);
            return false;
        }
    }
}
