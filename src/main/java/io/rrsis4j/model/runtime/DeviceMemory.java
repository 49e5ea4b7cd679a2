package io.rrsis4j.model.runtime;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import java.lang.management.MemoryUsage;

/**
 * Memory of a CUDA device as the driver reports it (cudaMemGetInfo through DJL's CudaUtils): the whole device, so
 * "in use" counts what PyTorch's caching allocator has reserved, which is what limits the next allocation. DJL's
 * PyTorch JNI exposes no allocator statistics (torch.cuda.max_memory_allocated), so peaks are sampled
 * ({@link Sampler}). On the CPU nothing is known: every figure is -1.
 */
public final class DeviceMemory {
    private DeviceMemory() {}

    /** Bytes free on the device, or -1 (CPU, or the CUDA runtime is not reachable). */
    public static long freeBytes(Device device) {
        MemoryUsage u = usage(device);
        return u == null ? -1 : u.getMax() - u.getCommitted();
    }

    /** Bytes in use on the device (all processes), or -1. */
    public static long usedBytes(Device device) {
        MemoryUsage u = usage(device);
        return u == null ? -1 : u.getCommitted();
    }

    /** Bytes the device has in all, or -1. */
    public static long totalBytes(Device device) {
        MemoryUsage u = usage(device);
        return u == null ? -1 : u.getMax();
    }

    private static MemoryUsage usage(Device device) {
        if (device == null || !device.isGpu()) {
            return null;
        }
        try {
            return CudaUtils.getGpuMemory(device);
        } catch (RuntimeException | LinkageError e) { // no CUDA runtime library to load
            return null;
        }
    }

    /**
     * The highest device memory in use seen by a background thread reading it every {@code periodMillis} while
     * open. A sampled peak can miss a spike shorter than the period; kernels run for milliseconds, a forward's
     * peak lasts for many of them.
     */
    public static final class Sampler implements AutoCloseable {
        private final Device device;
        private final Thread thread;
        private volatile boolean running = true;
        private volatile long peak;

        public Sampler(Device device, long periodMillis) {
            this.device = device;
            this.peak = usedBytes(device);
            this.thread = new Thread(() -> {
                while (running) {
                    peak = Math.max(peak, usedBytes(device));
                    try {
                        Thread.sleep(periodMillis);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "device-memory-sampler");
            thread.setDaemon(true);
            if (peak >= 0) {
                thread.start();
            }
        }

        /** The peak so far in bytes, or -1 where the device's memory cannot be read (the CPU). */
        public long peakBytes() {
            return peak < 0 ? -1 : Math.max(peak, usedBytes(device));
        }

        @Override
        public void close() {
            running = false;
            thread.interrupt();
        }
    }
}
