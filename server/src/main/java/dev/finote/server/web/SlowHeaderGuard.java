package dev.finote.server.web;

import org.apache.catalina.connector.Connector;
import org.apache.coyote.Constants;
import org.apache.coyote.Processor;
import org.apache.coyote.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * A deadline for a request's line and headers. Tomcat's connection timeout only bounds the
 * pause between two reads, so a client sending one header line every few seconds (slowloris)
 * held its connection forever. Once a second this closes every connection that has been
 * sending one request's headers for longer than the deadline; requests being served or
 * answered are never touched, and neither are idle keep-alive connections (Tomcat's
 * keep-alive timeout closes those).
 */
@Component
public class SlowHeaderGuard implements TomcatConnectorCustomizer {

    private static final Logger log = LoggerFactory.getLogger(SlowHeaderGuard.class);

    private final long deadlineNanos;
    private volatile Connector connector;

    public SlowHeaderGuard(@Value("${finote.http.header-deadline:15s}") Duration deadline) {
        this.deadlineNanos = deadline.toNanos();
    }

    @Override
    public void customize(Connector connector) {
        this.connector = connector;
    }

    /**
     * Tomcat marks a request's start when its first byte arrives and clears it when the request
     * is done; between the two, a processor that is not preparing, serving or answering it is
     * waiting for the rest of its line and headers (Tomcat leaves the stage at ENDED then).
     */
    private static boolean readingHeaders(int stage) {
        return stage == Constants.STAGE_PARSE || stage == Constants.STAGE_ENDED || stage == Constants.STAGE_KEEPALIVE;
    }

    @Scheduled(fixedDelay = 1000)
    void closeSlowHeaders() {
        Connector current = connector;
        if (current == null || !(current.getProtocolHandler() instanceof GuardedNioProtocol protocol)) return;
        long now = System.nanoTime();
        int closed = 0;
        for (var connection : protocol.openConnections()) {
            if (!(connection.getCurrentProcessor() instanceof Processor processor)) continue;
            Request request = processor.getRequest();
            long started = request.getStartTimeNanos();
            if (readingHeaders(request.getRequestProcessor().getStage()) && started > 0 && now - started > deadlineNanos) {
                connection.close();
                closed++;
            }
        }
        if (closed > 0) log.warn("closed {} connection(s) whose request headers took longer than {} s", closed, deadlineNanos / 1_000_000_000);
    }
}
