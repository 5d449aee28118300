package io.spinel.store;

import io.spinel.types.QuickList;
import io.spinel.types.SkiplistSortedSet;
import io.spinel.types.TableHash;
import io.spinel.types.TableSet;

/**
 * What lazy freeing (UNLINK, FLUSHALL ASYNC, the lazyfree-lazy-* settings) means on the JVM.
 *
 * <p>Redis frees a large value in a background thread because freeing walks it: one free() per
 * element. Here a value dropped from its slot table is garbage the collector never walks (G1
 * copies live objects only, and reclaims a region of dead ones as a whole), so dropping even a
 * collection of ten million elements costs the same as dropping a string, on the command's
 * thread, and there is nothing left to hand to another thread (docs/benchmarks.md measures the
 * latency of other clients meanwhile). What remains of Redis's behaviour is its bookkeeping:
 * a value Redis would have freed in the background (free effort above
 * LAZYFREE_THRESHOLD) counts in lazyfreed_objects, and lazyfree_pending_objects is always 0.
 */
final class LazyFree {
    /** LAZYFREE_THRESHOLD: values whose free effort is above it are freed in the background. */
    static final int THRESHOLD = 64;

    private LazyFree() {
    }

    /** Redis's lazyfreeGetFreeEffort: how many allocations freeing the value takes (1 for packed ones). */
    static long effort(Object value) {
        return switch (value) {
            case QuickList list -> list.nodeCount();
            case TableSet set -> set.size();
            case SkiplistSortedSet zset -> zset.size();
            case TableHash hash -> hash.fieldCount();
            default -> 1;
        };
    }

    /** Counts {@code value}, dropped the lazy way, in lazyfreed_objects if Redis would have freed it in the background. */
    static void dropped(Object value, KeyspaceStats stats) {
        if (effort(value) > THRESHOLD) {
            stats.lazyfreedObjects.increment();
        }
    }
}
