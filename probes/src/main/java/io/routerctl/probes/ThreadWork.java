package io.routerctl.probes;

import java.util.Set;

/**
 * A request's work handed to a thread of its own (a virtual thread a handler starts, say): a task
 * of kind {@link io.routerctl.probes.snapshot.TaskKind#THREAD}, child of the request, carrying
 * the request's addresses. The registry cannot see such a thread's progress, so the thread is asked
 * instead: its owning shard samples it ({@link TaskShard#sweepThreads}: alive, parked or not, its
 * request still there), and a reader asks it, at read time, where it is parked.
 *
 * <p>The thread's stack says where: the first frame of the application's own code (not the
 * JDK's, not a framework's) and the call it made there ({@code CompletableFuture.get} at
 * {@code BarsHandler.serve(BarsHandler.java:57)}). A parked thread holds what it waits on (a
 * future on its stack), and the executor that started it holds the thread, so a collection can
 * never prove that nobody will wake it: {@link #UNPROVABLE} says so.
 *
 * <h2>Allocation and threads</h2>
 * One per handed-off thread, made by the shard's owner when the thread starts, which alone writes
 * {@link #parkedSince} and {@link #orphanedAt}. Readers call {@link #where} on their own thread:
 * one stack trace of the thread, then a few strings. Holds the thread strongly until its task
 * finishes (at most one sweep after the thread ended).
 */
public final class ThreadWork {

    /** Why a lost wake-up of a parked thread is never proven by a collection. */
    public static final String UNPROVABLE = "not provable by a GC: the parked thread's stack holds what it waits on, "
            + "and its executor holds the thread";

    /** Frames of these packages are not the application's own. */
    private static final Set<String> NOT_APPLICATION = Set.of("java.", "javax.", "jdk.", "sun.", "com.sun.",
            "io.netty.", "io.routerctl.", "kotlin.", "kotlinx.", "scala.", "reactor.", "io.grpc.", "io.vertx.",
            "org.springframework.", "com.google.common.", "io.micrometer.");

    final Thread thread;
    /** The task's handle in its shard, and its parent's (the request's). */
    final long task;
    final long parent;
    /** When its task was registered (the thread had just started). */
    final long startedAt;
    /** Whether a sweep ever saw the thread not parked (owner only). */
    boolean seenRunning;
    /** When the shard first saw the thread parked in its current wait, or 0 (owner writes, readers read). */
    volatile long parkedSince;
    /** When the shard saw the request end while the thread still lived, or 0. */
    volatile long orphanedAt;

    ThreadWork(Thread thread, long task, long parent, long startedAt) {
        this.thread = thread;
        this.task = task;
        this.parent = parent;
        this.startedAt = startedAt;
    }

    /** What a task of a thread shows as its label: its name, or {@code virtual thread #42}. */
    static String label(Thread thread) {
        String name = thread.getName();
        boolean virtual = isVirtual(thread);
        if (name == null || name.isEmpty()) {
            return (virtual ? "virtual thread #" : "thread #") + thread.getId();
        }
        return virtual ? name + " (virtual)" : name;
    }

    /**
     * Whether {@code thread} is a virtual thread (JDK 21 and later), read without JDK 21's API: by
     * its class's name, once; the class found is kept, since a request's thread is labelled as it
     * is registered, on the loop (the name's test was 0.5% of a virtual-thread service's CPU).
     */
    public static boolean isVirtual(Thread thread) {
        Class<?> type = thread.getClass();
        if (type == virtualType) {
            return true;
        }
        if (type.getName().contains("VirtualThread")) {
            virtualType = type;
            return true;
        }
        return false;
    }

    /** The virtual threads' class, once one was seen (the JDK has one). */
    private static volatile Class<?> virtualType;

    /** Whether a thread in {@code state} is parked, waiting or blocked. */
    static boolean isParked(Thread.State state) {
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING || state == Thread.State.BLOCKED;
    }

    /** The thread's state now (a read, no stack); a thread is registered as it is made, so it may be NEW. */
    Thread.State state() {
        return thread.getState();
    }

    /** Where the thread waits, from its stack (one stack trace), or null when the stack says nothing. Any thread. */
    Where where() {
        return where(thread.getStackTrace());
    }

    /**
     * {@link #where()} for a stack already taken, top frame first: the call is the JDK's method
     * that the first frame outside the JDK called ({@code CompletableFuture.get}), the place the
     * first frame of the application's own code (else the first outside the JDK: a framework's).
     */
    static Where where(StackTraceElement[] frames) {
        if (frames.length == 0) {
            return null;
        }
        int outside = -1;
        int app = -1;
        for (int i = 0; i < frames.length && app < 0; i++) {
            String cls = frames[i].getClassName();
            if (outside < 0 && !isJdk(cls)) {
                outside = i;
            }
            if (isApplication(cls)) {
                app = i;
            }
        }
        String call = call(frames[outside > 0 ? outside - 1 : 0]);
        int at = app >= 0 ? app : outside;
        return new Where(call, at < 0 ? null : frame(frames[at]));
    }

    private static boolean isJdk(String className) {
        return className.startsWith("java.") || className.startsWith("javax.") || className.startsWith("jdk.")
                || className.startsWith("sun.") || className.startsWith("com.sun.");
    }

    static boolean isApplication(String className) {
        for (String p : NOT_APPLICATION) {
            if (className.startsWith(p)) {
                return false;
            }
        }
        return true;
    }

    /** {@code CompletableFuture.get}: a frame's simple class name and method. */
    private static String call(StackTraceElement f) {
        String cls = f.getClassName();
        return cls.substring(cls.lastIndexOf('.') + 1) + "." + f.getMethodName();
    }

    /** {@code BarsHandler.serve(BarsHandler.java:57)}. */
    private static String frame(StackTraceElement f) {
        String file = f.getFileName();
        return call(f) + "(" + (file == null ? "unknown source" : f.getLineNumber() < 0 ? file
                : file + ":" + f.getLineNumber()) + ")";
    }

    /**
     * Where a parked thread waits: the call it is parked in ({@code CompletableFuture.get}) and
     * the first application frame ({@code BarsHandler.serve(BarsHandler.java:57)}).
     */
    record Where(String call, String at) {
    }
}
