package io.routerctl.probes;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * A shard's memory: its {@link TaskSegment}s, added one at a time as the shard fills (never a copy
 * of what it holds, so growing costs the loop no more than one segment's allocation), given back
 * from the top when a burst is over, and found by slot index.
 *
 * <h2>Assumptions and guarantees</h2>
 * <ul>
 *   <li>Only the shard's owner calls {@link #allocate}, {@link #release}, {@link #giveBackEmptyTop}
 *       and {@link #get}; readers call {@link #forRead} from any thread.</li>
 *   <li>A segment is published with a release store before any of its slots is handed out, and a
 *       reader's acquire load sees it whole or not at all; a segment given back reads as null.</li>
 *   <li>Nothing is allocated but segments and, rarely, the array of them (doubling, once per
 *       doubling of segments). An allocation that fails (out of memory) stops growth instead of
 *       failing the loop: the shard refuses registrations from then on.</li>
 * </ul>
 */
final class TaskSegments {

    private static final VarHandle SEGMENTS;
    private static final VarHandle SEGMENT = MethodHandles.arrayElementVarHandle(TaskSegment[].class);

    static {
        try {
            SEGMENTS = MethodHandles.lookup().findVarHandle(TaskSegments.class, "segments", TaskSegment[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Segments by index; a null entry is a segment given back. Published with a release store. */
    private TaskSegment[] segments = new TaskSegment[4];
    /** Segments in use, the top one included (owner only). */
    private int count;
    /** No segment below this one has a free slot (owner only). */
    private int lowestWithFree;
    /** Growth stops here: the shard's cap, or less once an allocation for growth failed (owner only). */
    private int growLimit;

    TaskSegments(int maxCapacity) {
        this.growLimit = maxCapacity;
    }

    /** Segment {@code k}, or null if it is not held (owner; a plain read). */
    TaskSegment get(int k) {
        TaskSegment[] segs = segments;
        return k < segs.length ? segs[k] : null;
    }

    /** The lowest free slot index, adding a segment if every one is full; -1 at the cap (owner only). */
    int allocate() {
        TaskSegment[] segs = segments;
        for (int k = lowestWithFree; k < count; k++) {
            TaskSegment s = segs[k];
            if (s.freeCount > 0) {
                lowestWithFree = k;
                return (k << TaskShard.SEGMENT_BITS) | s.take();
            }
        }
        lowestWithFree = count;
        int held = count * TaskShard.SEGMENT_SLOTS;
        if (held >= growLimit) {
            return -1;
        }
        TaskSegment added;
        try {
            added = new TaskSegment(Math.min(TaskShard.SEGMENT_SLOTS, growLimit - held));
            if (count == segs.length) {
                segs = Arrays.copyOf(segs, segs.length * 2);
                SEGMENTS.setRelease(this, segs);
            }
        } catch (OutOfMemoryError e) {
            // An event loop must not die of a registry that wanted more memory: stop growing, refuse.
            growLimit = held;
            return -1;
        }
        SEGMENT.setRelease(segs, count, added);
        return (count++ << TaskShard.SEGMENT_BITS) | added.take();
    }

    /** Frees the slot with index {@code slot} (owner only). */
    void release(int slot) {
        int k = slot >>> TaskShard.SEGMENT_BITS;
        segments[k].release(slot & TaskShard.SEGMENT_MASK);
        if (k < lowestWithFree) {
            lowestWithFree = k;
        }
    }

    /**
     * Gives back the top segment while it is empty and {@code live} tasks would fit twice into the
     * segments below it (the margin keeps a load that hovers at a segment's edge from adding and
     * dropping one over and over). Owner only.
     */
    void giveBackEmptyTop(long live) {
        while (count > 1) {
            TaskSegment top = segments[count - 1];
            if (top.freeCount != top.usable || live * 2 > (long) (count - 1) * TaskShard.SEGMENT_SLOTS) {
                return;
            }
            count--;
            SEGMENT.setRelease(segments, count, null);
            if (lowestWithFree > count) {
                lowestWithFree = count;
            }
        }
    }

    /** The segments, some entries null, for readers (acquire). Any thread. */
    TaskSegment[] forRead() {
        TaskSegment[] segs = (TaskSegment[]) SEGMENTS.getAcquire(this);
        TaskSegment[] out = new TaskSegment[segs.length];
        for (int k = 0; k < segs.length; k++) {
            out[k] = (TaskSegment) SEGMENT.getAcquire(segs, k);
        }
        return out;
    }
}
