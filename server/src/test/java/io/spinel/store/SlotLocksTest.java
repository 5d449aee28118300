package io.spinel.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When {@link SlotLocks} runs its release hook. */
class SlotLocksTest {
    private final List<Integer> released = new ArrayList<>();
    private final SlotLocks locks = new SlotLocks(released::add);

    @Test
    void release_withoutARequest_runsNoHook() {
        locks.lock(7);
        locks.unlock(7);
        assertThat(released).isEmpty();
    }

    @Test
    void releaseHook_runsOnceAtTheLastRelease() {
        locks.lock(7);
        locks.lock(7);
        locks.releaseHook(7);
        assertThat(locks.holdCount(7)).isEqualTo(2);
        locks.unlock(7);
        assertThat(released).isEmpty();
        assertThat(locks.holdCount(7)).isEqualTo(1);
        locks.unlock(7);
        assertThat(released).containsExactly(7);
        assertThat(locks.holdCount(7)).isZero();
        locks.lock(7);
        locks.unlock(7);
        assertThat(released).containsExactly(7);
    }

    @Test
    void releaseHook_ofOneSlot_leavesTheOthers() {
        locks.lock(new int[] {1, 2, 3}, 3);
        locks.releaseHook(2);
        locks.unlock(new int[] {1, 2, 3}, 3);
        assertThat(released).containsExactly(2);
    }
}
