package com.example.tickets;

/** A JVM with no Netty in it: says it is up, then waits to be killed. */
public final class NoNetty {

    private NoNetty() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("listening on 0");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
