package io.routerctl.samples.trace;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.FileAppender;
import io.netty.channel.Channel;
import io.routerctl.probes.ProbePoint;
import io.routerctl.runtime.StepTracer;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * The status quo of the story: one SLF4J log line per step, with the client's socket address,
 * written by Logback to a file with the usual pattern (time, thread, logger, message).
 *
 * <h2>Thread safety and allocation</h2>
 * Called from every event loop at once; Logback's appender serialises the writes. Each line
 * allocates what SLF4J and Logback need for a parameterised message: that cost is the point of
 * the comparison.
 */
public final class LogStepTracer implements StepTracer, AutoCloseable {

    /** The logger the step lines go to. */
    public static final String LOGGER = "io.routerctl.samples.steps";

    private final org.slf4j.Logger log;
    private final FileAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender;

    /** Logs every step to {@code file} (appending). */
    public LogStepTracer(Path file) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{ISO8601} [%thread] %-5level %logger{24} - %msg%n");
        encoder.start();
        appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName("steps");
        appender.setFile(file.toString());
        appender.setAppend(true);
        appender.setEncoder(encoder);
        appender.start();
        Logger logger = context.getLogger(LOGGER);
        logger.setAdditive(false);
        logger.setLevel(Level.INFO);
        logger.addAppender(appender);
        this.log = logger;
    }

    @Override
    public void onPoint(Channel channel, long task, ProbePoint point) {
        log.info("{} task={} remote={} local={}", point.name(), task, channel.remoteAddress(), channel.localAddress());
    }

    @Override
    public void close() {
        appender.stop();
    }
}
