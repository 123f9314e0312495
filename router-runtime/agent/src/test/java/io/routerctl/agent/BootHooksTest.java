package io.routerctl.agent;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every class of the hooks is defined in the bootstrap loader by name: one left out of
 * {@link BootHooks#CLASSES} (a new nested class, an anonymous one) fails the first attach with
 * "Could not initialize class Hooks".
 */
class BootHooksTest {

    @Test
    void everyCompiledClassOfTheHooksIsDefinedAtAttach() throws IOException {
        Path dir = Path.of(System.getProperty("agent.classes", "target/classes"), "io/routerctl/agent/hooks");
        Set<String> compiled = new HashSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".class") && !n.equals("package-info.class"))
                    .forEach(n -> compiled.add(n.substring(0, n.length() - ".class".length())));
        }
        assertThat(compiled).as("classes compiled in %s", dir).containsExactlyInAnyOrderElementsOf(BootHooks.CLASSES);
    }
}
