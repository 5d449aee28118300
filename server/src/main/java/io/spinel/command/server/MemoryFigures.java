package io.spinel.command.server;

import io.spinel.command.ServerContext;
import io.spinel.store.Keyspace;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One reading of the memory figures INFO memory and MEMORY STATS report. used_memory is the
 * keyspace's accounting (startup + dataset + client buffers, see {@link Keyspace#usedMemory});
 * the allocator figures are the JVM heap (in use, committed) and the process's resident set.
 */
record MemoryFigures(long used, long startup, long clients, long peak, long heapUsed, long heapCommitted, long rss) {
    private static final long PAGE_SIZE = 4096;

    static MemoryFigures now(ServerContext server) {
        Keyspace keyspace = server.keyspace();
        long used = keyspace.usedMemory();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return new MemoryFigures(used, keyspace.startupBytes(), keyspace.clientBytes(),
                server.diagnostics().peakMemory(used), heap.getUsed(), heap.getCommitted(), residentBytes());
    }

    /** used_memory_overhead: what is not the data (the empty keyspace, client buffers). */
    long overhead() {
        return startup + clients;
    }

    /** used_memory_dataset. */
    long dataset() {
        return used - overhead();
    }

    /** used_memory_dataset_perc: the dataset's share of what was allocated after startup. */
    double datasetPercent() {
        long net = used - startup;
        return net <= 0 ? 0 : dataset() * 100.0 / net;
    }

    /** mem_fragmentation_ratio: resident set over used_memory. */
    double fragmentation() {
        return ratio(rss, used);
    }

    double ratio(long a, long b) {
        return b == 0 ? 0 : (double) a / b;
    }

    /** A double as Redis prints one in MEMORY STATS (%.17g without trailing noise). */
    static String format(double value) {
        return String.format(Locale.ROOT, "%.17g", value).replaceFirst("\\.?0+$", "");
    }

    /** The resident set size from /proc/self/statm (second field, in pages); 0 where unavailable. */
    static long residentBytes() {
        try {
            String[] fields = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
            return Long.parseLong(fields[1]) * PAGE_SIZE;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
