package io.spinel.testing;

/** Heap measurements for the tests that check a server does not hold on to memory. */
public final class Heap {
    private Heap() {
    }

    /** The heap in use after asking for a few collections: a rough figure, compared with slack. */
    public static long usedAfterGc() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
