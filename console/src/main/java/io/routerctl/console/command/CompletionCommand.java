package io.routerctl.console.command;

import io.routerctl.console.context.Arg;
import io.routerctl.console.context.ConsoleContext;
import io.routerctl.console.context.ExitCode;
import picocli.AutoComplete;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine;

/**
 * {@code routerctl completion bash|zsh}: a shell completion script on stdout.
 *
 * <p>The script is picocli's ({@link AutoComplete}: every command, option and fixed value), with a
 * front function that completes what picocli cannot know, from the file system and without
 * starting a JVM: {@code --pid} completes the pids with an attach socket in the attach directories,
 * {@code attach} and {@code detach} the JVMs of this user ({@code /tmp/hsperfdata_<user>}, where
 * {@code jps} looks).
 *
 * <h2>Thread safety</h2>
 * As every {@link RouterctlCommand}: one invocation at a time.
 */
public final class CompletionCommand extends RouterctlCommand {

    private static final String[] DESCRIPTION = {
            "Print a completion script for bash or zsh.",
            "",
            "Completes commands, options and their fixed values; --pid completes the pids with an "
                    + "attach socket, attach and detach the JVMs you may attach to."};

    private static final String[] EXAMPLES = {
            "  source <(routerctl completion bash)          this shell",
            "  routerctl completion bash > ~/.local/share/bash-completion/completions/routerctl",
            "  routerctl completion zsh > \"${fpath[1]}/_routerctl\"",
            "",
            "Exit codes: 0 ok, 2 usage error (a shell other than bash or zsh)."};

    /** The shells a script is written for. */
    enum Shell { bash, zsh }

    private final Arg<Shell> shell = positional(PositionalParamSpec.builder().index("0").required(true)
            .paramLabel("SHELL").type(Shell.class)
            .description("bash or zsh."));

    public CompletionCommand(ConsoleContext context) {
        super(context, "completion", DESCRIPTION, EXAMPLES);
    }

    @Override
    protected int execute() {
        // The whole tree: the one this command runs in holds only this command (see Routerctl).
        CommandLine tree = context.runner().commandLine(context);
        String script = AutoComplete.bash("routerctl", tree);
        out().print(script);
        out().print(LIVE);
        return ExitCode.OK;
    }

    /**
     * The front function: live values first, then picocli's completion. Registered last, so it wins
     * for {@code routerctl}; zsh runs it through {@code bashcompinit}, which picocli's script loads.
     */
    static final String LIVE = """

            # routerctl: live values picocli cannot know, read from the file system (no JVM started).
            _routerctl_attach_pids() {
              local d f
              for d in "${ROUTERCTL_ATTACH_DIR:-}" "${XDG_RUNTIME_DIR:+$XDG_RUNTIME_DIR/routerctl}" "/tmp/routerctl-$(id -u)"; do
                [[ -n "$d" && -d "$d" ]] || continue
                for f in "$d"/*.sock; do
                  [[ -S "$f" ]] && f="${f##*/}" && echo "${f%.sock}"
                done
              done
            }
            _routerctl_jvm_pids() {
              local f
              for f in /tmp/hsperfdata_"$(id -un)"/*; do
                [[ -f "$f" ]] && echo "${f##*/}"
              done
            }
            _routerctl_complete() {
              local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" cmd="${COMP_WORDS[1]}"
              if [[ "$prev" == "--pid" ]]; then
                COMPREPLY=( $(compgen -W "$(_routerctl_attach_pids | sort -un)" -- "$cur") )
                return 0
              fi
              if [[ ( "$cmd" == "attach" || "$cmd" == "detach" ) && $COMP_CWORD -eq 2 && "$cur" != -* ]]; then
                COMPREPLY=( $(compgen -W "$(_routerctl_jvm_pids | sort -un)" -- "$cur") )
                return 0
              fi
              _complete_routerctl "$@"
            }
            complete -F _routerctl_complete -o default routerctl
            """;
}
