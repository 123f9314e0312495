package io.routerctl.probes.attach;

import java.nio.file.Path;

/**
 * An attachable process found in the attach directory.
 *
 * @param pid    its process id (from the socket's name)
 * @param socket the path of its attach socket
 */
public record AttachTarget(long pid, Path socket) {
}
