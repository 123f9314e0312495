package io.routerctl.attachtests;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real other user of this machine, made with {@code useradd} if missing (CI machines are
 * throwaway), whose commands run through {@code setpriv}. Only root can do either.
 *
 * @param name the account
 * @param uid  its user id
 * @param gid  its group id
 */
record OsUser(String name, int uid, int gid) {

    /** Whether users can be made and switched to here: root, with useradd and setpriv. */
    static boolean available() {
        return "root".equals(System.getProperty("user.name"))
                && Files.isExecutable(Path.of("/usr/sbin/useradd")) && Files.isExecutable(Path.of("/usr/bin/setpriv"));
    }

    /** The user {@code name}, a system account made if missing. */
    static OsUser of(String name) throws Exception {
        if (new ProcessBuilder("id", "-u", name).start().waitFor() != 0) {
            new ProcessBuilder("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name)
                    .inheritIO().start().waitFor();
        }
        return new OsUser(name, Integer.parseInt(id("-u", name)), Integer.parseInt(id("-g", name)));
    }

    private static String id(String flag, String name) throws Exception {
        Process p = new ProcessBuilder("id", flag, name).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor();
        return out;
    }

    /** {@code command}, run as this user. */
    List<String> run(List<String> command) {
        List<String> full = new ArrayList<>(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--"));
        full.addAll(command);
        return full;
    }
}
