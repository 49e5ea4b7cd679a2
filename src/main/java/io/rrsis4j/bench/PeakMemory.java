package io.rrsis4j.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Peak memory of this process: the JVM heap (sum of the heap pools' peaks, MemoryPoolMXBean) and the resident set
 * high-water mark from /proc/self/status (VmHWM), which also counts the native tensors DJL keeps off the heap.
 */
public final class PeakMemory {
    private PeakMemory() {}

    /** Peak heap use in bytes since start (or the last {@link #resetHeapPeak}). */
    public static long heapPeakBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    public static void resetHeapPeak() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /** Resident set high-water mark in bytes, or -1 where /proc/self/status is not available (not Linux). */
    public static long residentPeakBytes() {
        return procStatusKb("VmHWM:");
    }

    /** Current resident set in bytes, or -1. */
    public static long residentBytes() {
        return procStatusKb("VmRSS:");
    }

    private static long procStatusKb(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    String[] parts = line.substring(key.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
