package io.routerctl.probes.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Exempts a test (or a whole class) from {@link NoPendingTasksExtension}: it leaves waits pending on purpose. */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface AllowPendingTasks {
    /** Why the test leaves waits pending; shown nowhere, read by people. */
    String value();
}
