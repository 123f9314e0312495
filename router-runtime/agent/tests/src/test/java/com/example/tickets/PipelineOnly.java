package com.example.tickets;

/**
 * A JVM that has loaded Netty's pipeline class and nothing that handles a channel, as a service on
 * Netty 4.0 looks from outside (4.0 has no {@code ChannelHandlerMask}, which 4.1 loads with a
 * pipeline's first handler): says it is up, then waits to be killed.
 */
public final class PipelineOnly {

    private PipelineOnly() {
    }

    public static void main(String[] args) throws Exception {
        Class.forName("io.netty.channel.DefaultChannelPipeline", false, PipelineOnly.class.getClassLoader());
        System.out.println("listening on 0");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
