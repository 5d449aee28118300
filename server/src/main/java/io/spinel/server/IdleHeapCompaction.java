package io.spinel.server;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Gives memory back to the system once a server that grew its heap (a bulk load, a burst of
 * writes) goes idle.
 *
 * <p>Why: after a load the heap holds the data plus the garbage the load left behind in old
 * regions (outgrown slot-table arrays, request buffers). A collector reclaims that garbage only
 * when allocation asks it to, and an idle server allocates nothing, so the resident size stays at
 * the load's peak, well above the data. One full collection compacts the heap and lets the
 * collector shrink it to within MaxHeapFreeRatio of the live data. For that one collection the
 * ratio is lowered to {@link #IDLE_MAX_FREE_PERCENT}: a busy server keeps the launcher's headroom
 * (fewer collections while it allocates), an idle one needs little and gives the rest back.
 *
 * <p>When: only after no command ran for {@link #IDLE_NANOS} (8 s), and only when the committed heap
 * grew by more than a quarter (and {@link #SLACK_BYTES}, two of G1's 4 MB regions; 32 MB let a
 * 15 MB load keep 20 MB of headroom for good) since the last compaction left it. So the
 * pause of that collection falls on a server nobody is using, and it does not repeat while the
 * server stays idle (a periodic collection would stall every quiet server again and again).
 * Called from the cron thread only.
 */
final class IdleHeapCompaction {
    /**
     * 8 s: longer than the lulls of a busy server (a compaction leaves the heap no headroom, so
     * the next seconds of traffic pay young collections and heap growth: 2 s compacted between
     * every pair of interleaved benchmark runs), shorter than the 12 s after which
     * mem-per-key.sh reads the resident size.
     */
    static final long IDLE_NANOS = 8_000_000_000L;
    static final long SLACK_BYTES = 8L * 1024 * 1024;
    static final int IDLE_MAX_FREE_PERCENT = 5;

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private long lastCommands = -1;
    private long idleSince;
    private long committedAfterCompaction;

    /** Compacts the heap if the server has been idle long enough after growing; true if it did. */
    boolean tick(long commandsProcessed, long nowNanos) {
        if (commandsProcessed != lastCommands) {
            lastCommands = commandsProcessed;
            idleSince = nowNanos;
            return false;
        }
        if (nowNanos - idleSince < IDLE_NANOS) {
            return false;
        }
        long committed = memory.getHeapMemoryUsage().getCommitted();
        if (committed <= committedAfterCompaction + committedAfterCompaction / 4 + SLACK_BYTES) {
            return false;
        }
        compact();
        committedAfterCompaction = memory.getHeapMemoryUsage().getCommitted();
        return true;
    }

    /** A full collection with the heap's free-space ratios lowered for its duration (they are manageable flags). */
    private void compact() {
        HotSpotDiagnosticMXBean flags = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        String min = flags.getVMOption("MinHeapFreeRatio").getValue();
        String max = flags.getVMOption("MaxHeapFreeRatio").getValue();
        try {
            flags.setVMOption("MinHeapFreeRatio", "0"); // min <= max must hold at every step
            flags.setVMOption("MaxHeapFreeRatio", Integer.toString(IDLE_MAX_FREE_PERCENT));
            memory.gc();
        } finally {
            flags.setVMOption("MaxHeapFreeRatio", max);
            flags.setVMOption("MinHeapFreeRatio", min);
        }
    }
}
