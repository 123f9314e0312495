package io.routerctl.console.demo;

/**
 * How {@code routerctl demo} shows the running sample once it is attachable: {@link TopDemoView}
 * on a terminal, {@link StatusLineView} otherwise.
 *
 * <h2>Thread safety</h2>
 * {@link #show} runs on the demo command's thread; the child's output is copied concurrently to
 * the same writer, so synchronize on {@link DemoSession#out()} when printing.
 */
@FunctionalInterface
public interface DemoView {

    /**
     * Shows the sample until it exits, {@link DemoSession#until()} passes, or the user stops it;
     * returns an {@link io.routerctl.console.context.ExitCode}.
     */
    int show(DemoSession session) throws Exception;
}
