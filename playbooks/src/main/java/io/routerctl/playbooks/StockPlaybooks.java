package io.routerctl.playbooks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The playbooks routerctl ships, as resources under {@code /playbooks/NAME.playbook}. Each starts
 * with a header comment saying when to use it. {@code routerctl play NAME} finds them by name when
 * no file of that name exists.
 *
 * <h2>Thread safety</h2>
 * Stateless.
 */
public final class StockPlaybooks {

    /** The stock playbooks' names, in the order to show them. */
    public static final List<String> NAMES = List.of("hung-requests", "incident-bundle", "lost-wakeups", "blocked-loop");

    private StockPlaybooks() {
    }

    /** The text of the stock playbook {@code name} (with or without {@code .playbook}), if it exists. */
    public static Optional<String> text(String name) {
        String bare = name.endsWith(".playbook") ? name.substring(0, name.length() - ".playbook".length()) : name;
        if (!NAMES.contains(bare)) {
            return Optional.empty();
        }
        try (InputStream in = StockPlaybooks.class.getResourceAsStream("/playbooks/" + bare + ".playbook")) {
            if (in == null) {
                return Optional.empty();
            }
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first line of a stock playbook's header, after {@code # }: what it is for. */
    public static String summary(String name) {
        return text(name).map(t -> t.lines().findFirst().orElse("").replaceFirst("^#\\s*", "")).orElse("");
    }
}
