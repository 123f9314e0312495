package io.routerctl.agent;

import java.nio.file.Path;

/**
 * The agent's arguments, comma-separated: {@code name=NAME} (what {@code routerctl list} shows),
 * {@code sites=on|off} (a code site per future, costly), {@code stop} (detach), and, from
 * {@code routerctl attach}, {@code nonce=N} (the status is reported under it, so that two attaches
 * at once each read their own) and {@code deadline=EPOCH_MS} (a request the JVM gets to after this
 * moment, say because it was stopped with SIGSTOP and continued later, is refused, not applied).
 *
 * @param name     the service's name
 * @param sites    deep code sites on
 * @param stop     detach instead of attach
 * @param nonce    the status property's suffix, or "" for none
 * @param deadline the last moment (epoch ms) to act on the request, or 0 for none
 */
record AgentArgs(String name, boolean sites, boolean stop, String nonce, long deadline) {

    /** The system property an attach's status is reported in, suffixed by its nonce. */
    static final String STATUS_PROPERTY = "routerctl.agent.status";

    static AgentArgs parse(String args) {
        String name = defaultName();
        boolean sites = false;
        boolean stop = false;
        String nonce = "";
        long deadline = 0;
        if (args != null && !args.isBlank()) {
            for (String part : args.split(",")) {
                String p = part.strip();
                if (p.equals("stop")) {
                    stop = true;
                } else if (p.startsWith("name=") && p.length() > 5) {
                    name = p.substring(5);
                } else if (p.equals("sites=on") || p.equals("sites")) {
                    sites = true;
                } else if (p.equals("sites=off")) {
                    sites = false;
                } else if (p.startsWith("nonce=") && p.substring(6).matches("[0-9a-f]{1,32}")) {
                    nonce = p.substring(6);
                } else if (p.startsWith("deadline=") && p.substring(9).matches("[0-9]{1,15}")) {
                    deadline = Long.parseLong(p.substring(9));
                } else if (!p.isEmpty()) {
                    throw new IllegalArgumentException("unknown agent argument: " + p
                            + " (expected name=NAME, sites=on|off, stop)");
                }
            }
        }
        return new AgentArgs(name, sites, stop, nonce, deadline);
    }

    /** Whether the request came too late to be applied. */
    boolean expired(long nowEpochMs) {
        return deadline > 0 && nowEpochMs > deadline;
    }

    /** The property this request's status goes into. */
    String statusProperty() {
        return nonce.isEmpty() ? STATUS_PROPERTY : STATUS_PROPERTY + "." + nonce;
    }

    /** The main class's simple name, or the jar's file name, as jps shows it. */
    static String defaultName() {
        String command = System.getProperty("sun.java.command", "java").strip();
        String first = command.isEmpty() ? "java" : command.split("\\s+")[0];
        if (first.endsWith(".jar")) {
            first = Path.of(first).getFileName().toString();
        } else {
            first = first.substring(first.lastIndexOf('.') + 1);
        }
        return first.isEmpty() ? "java" : first;
    }
}
