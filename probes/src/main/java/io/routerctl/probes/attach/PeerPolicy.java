package io.routerctl.probes.attach;

import jdk.net.UnixDomainPrincipal;

import java.nio.file.attribute.UserPrincipal;

/**
 * Who may attach: judged on accept from the peer's credentials ({@code SO_PEERCRED}). The default
 * serves the process's own user and root; tests inject another policy to see a refusal.
 *
 * <h2>Thread safety</h2>
 * Called on the accept thread only.
 */
@FunctionalInterface
interface PeerPolicy {

    /** True if {@code peer} may be served. */
    boolean admits(UnixDomainPrincipal peer);

    /** The process's own user, or root. {@code self} null (unknown) falls back to {@code user.name}. */
    static PeerPolicy sameUserOrRoot(UserPrincipal self) {
        String own = self != null ? self.getName() : System.getProperty("user.name");
        return peer -> {
            String name = peer.user().getName();
            return name.equals(own) || name.equals("root");
        };
    }
}
