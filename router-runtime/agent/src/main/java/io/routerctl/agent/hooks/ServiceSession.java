package io.routerctl.agent.hooks;

import java.util.function.Supplier;

/**
 * routerctl's session in a service, as the agent's entry classes see it: the registry, its
 * detectors and the attach socket of one attach, made by the agent's core (loaded in a class
 * loader of its own) and ended by detach. Only {@code java.base} types cross this boundary.
 *
 * <h2>Thread safety</h2>
 * Every method is safe from any thread.
 */
public interface ServiceSession {

    /** The attach socket's path, or {@code null} when it could not be made (see {@link #socketError()}). */
    String socket();

    /** Why there is no attach socket, or {@code null}. */
    String socketError();

    /** The registry, for the instrumentations of this session (they share its class loader's probes). */
    Object registry();

    /** The loop watchdog every instrumentation's loops are watched by. */
    Object watchdog();

    /** Adds to how routerctl is in this process, as the hello tells it (e.g. {@code Netty 4.2.18.Final}). */
    void describe(Supplier<String> part);

    /**
     * Ends the session's own threads and registrations (detectors, samplers, JFR, meters) and, when
     * {@code closeSocket}, the attach server. With {@code closeSocket} false the server stays up
     * until it has answered the detach request it is serving, then closes itself.
     */
    void close(boolean closeSocket);
}
