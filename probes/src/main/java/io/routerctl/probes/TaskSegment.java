package io.routerctl.probes;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * {@value TaskShard#SEGMENT_SLOTS} slots of a shard: their rows, their references and (for the
 * owner) which are free. Never resized; a shard adds and drops whole segments ({@link TaskSegments}).
 *
 * <h2>Allocation and threads</h2>
 * Allocated whole when a shard grows (on its owner's thread), never per task. The rows and
 * references are written by the owner under each row's sequence number; the free set and count by
 * the owner only; {@code highWater} is published with a release store for readers.
 */
final class TaskSegment {

    private static final VarHandle HIGH_WATER;

    static {
        try {
            HIGH_WATER = MethodHandles.lookup().findVarHandle(TaskSegment.class, "highWater", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final long[] rows = new long[TaskShard.SEGMENT_SLOTS * TaskShard.STRIDE];
    final Object[] refs = new Object[TaskShard.SEGMENT_SLOTS * TaskShard.REFS];
    /** Bit set: the slot is free (owner only). Slots past {@code usable} are never free. */
    private final long[] free = new long[TaskShard.SEGMENT_SLOTS / 64];
    /** How many slots this segment may hold (less than all in the last one under a small cap). */
    final int usable;
    /** Free slots (owner only). */
    int freeCount;
    /** Slots below this index have been used at least once; released for readers. */
    @SuppressWarnings("unused") // through HIGH_WATER
    private int highWater;

    TaskSegment(int usable) {
        this.usable = usable;
        this.freeCount = usable;
        for (int i = 0; i < usable; i++) {
            free[i >>> 6] |= 1L << i;
        }
    }

    /** Takes the lowest free slot; -1 if none. Owner only. */
    int take() {
        for (int w = 0; w < free.length; w++) {
            long bits = free[w];
            if (bits != 0) {
                int bit = Long.numberOfTrailingZeros(bits);
                free[w] = bits & (bits - 1);
                freeCount--;
                int r = (w << 6) | bit;
                if (r >= (int) HIGH_WATER.getOpaque(this)) {
                    HIGH_WATER.setRelease(this, r + 1);
                }
                return r;
            }
        }
        return -1;
    }

    /** Frees slot {@code r}. Owner only. */
    void release(int r) {
        free[r >>> 6] |= 1L << r;
        freeCount++;
    }

    /** Slots a reader must look at (acquire). */
    int highWaterForRead() {
        return (int) HIGH_WATER.getAcquire(this);
    }
}
