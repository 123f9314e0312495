package io.routerctl.playbooks;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Writes the incident bundle: each command's output as it happens ({@code NN-command.json} and
 * {@code .txt}), saved outputs ({@code NAME.json}), the playbook itself, and the report. Files are
 * written as the run goes, so a run that is cut short still leaves what it gathered.
 *
 * <h2>Thread safety</h2>
 * Not thread safe: one run, one thread.
 */
public final class BundleWriter {

    private final Path dir;
    private final Set<String> used = new HashSet<>();
    private int commands;

    /** Creates {@code dir} (and its parents) if needed. */
    public BundleWriter(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
    }

    /** The bundle's directory. */
    public Path dir() {
        return dir;
    }

    /**
     * Writes one command's output; returns the JSON file's name, or the text file's when the
     * command printed no JSON. Numbering starts at 01 and widens past 99.
     */
    public String command(String name, String text, JsonNode json) throws IOException {
        commands++;
        String base = String.format("%02d-%s", commands, safe(name));
        write(base + ".txt", text);
        if (json == null) {
            return base + ".txt";
        }
        write(base + ".json", pretty(json));
        return base + ".json";
    }

    /** Saves {@code json} as {@code NAME.json} ({@code NAME-2.json}... if taken); returns the file name. */
    public String save(String name, JsonNode json, String text) throws IOException {
        String ext = json == null ? ".txt" : ".json";
        String file = name + ext;
        for (int n = 2; used.contains(file); n++) {
            file = name + "-" + n + ext;
        }
        used.add(file);
        write(file, json == null ? text : pretty(json));
        return file;
    }

    /** Writes any other file of the bundle (the report, the playbook). */
    public void write(String file, String content) throws IOException {
        used.add(file);
        Files.writeString(dir.resolve(file), content, StandardCharsets.UTF_8);
    }

    private static String pretty(JsonNode json) {
        try {
            return JsonDocuments.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
