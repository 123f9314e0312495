package io.routerctl.probes.attach;

import jdk.net.UnixDomainPrincipal;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;

/**
 * Who may talk to whom: judged from the peer's credentials ({@code SO_PEERCRED}), by uid. A server
 * serves its own user and root; a client trusts only a target of its own user or root. Tests
 * inject another policy to see a refusal.
 *
 * <h2>Thread safety</h2>
 * Stateless policies; safe from any thread.
 */
@FunctionalInterface
interface PeerPolicy {

    /** True if {@code peer} may be served. */
    boolean admits(UnixDomainPrincipal peer);

    /**
     * The process's own user, or root: principals compared as the platform compares them, by
     * numeric uid. {@code self} null (unknown) admits nobody: fail closed.
     */
    static PeerPolicy sameUserOrRoot(UserPrincipal self) {
        UserPrincipal root = root();
        return peer -> self != null && peer != null && peer.user() != null
                && (peer.user().equals(self) || (root != null && peer.user().equals(root)));
    }

    /**
     * Whether a client may believe a target whose peer credentials name {@code peer}, listening on
     * a socket {@code socketOwner} owns: its own user or root; for root, also the socket's owner
     * (root attaching to another user's service). Unknown: no.
     */
    static boolean trustsTarget(UserPrincipal peer, UserPrincipal socketOwner) {
        UserPrincipal self = self();
        UserPrincipal root = root();
        if (self == null || peer == null) {
            return false;
        }
        return peer.equals(self) || peer.equals(root) || (self.equals(root) && peer.equals(socketOwner));
    }

    /** This process's user, as a principal comparable by uid; null if it cannot be learned. */
    static UserPrincipal self() {
        try {
            return Files.getOwner(Path.of("/proc/self"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Root (uid 0), as a principal comparable by uid; null if it cannot be looked up. */
    static UserPrincipal root() {
        try {
            return FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("0");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
