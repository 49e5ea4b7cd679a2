package io.rrsis4j.serve;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.HttpConnection;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Closes connections that take longer than the header timeout to send a request's headers. Jetty's idle timeout
 * restarts with every byte, so a client that sends its headers a byte at a time (slowloris) would otherwise keep its
 * connection, its buffers and its file descriptor forever; a few thousand of them exhaust the process.
 *
 * <p>A sweeper thread looks at every connection a few times per timeout. It reads the parser's state from outside
 * the connection's thread: a stale view only delays a close by one sweep.
 */
final class HeaderDeadline implements AutoCloseable {
    private record Started(long nanos, long requestsBefore) {}

    private final ServerConnector connector;
    private final long timeoutNanos;
    private final Map<EndPoint, Started> inHeaders = new HashMap<>(); // the sweeper thread's alone
    private final ScheduledExecutorService sweeper;

    HeaderDeadline(ServerConnector connector, Duration timeout) {
        this.connector = connector;
        this.timeoutNanos = timeout.toNanos();
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "header-deadline");
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(50, timeout.toMillis() / 4);
        sweeper.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    private void sweep() {
        long now = System.nanoTime();
        Set<EndPoint> seen = new HashSet<>();
        for (EndPoint endPoint : connector.getConnectedEndPoints()) {
            if (!(endPoint.getConnection() instanceof HttpConnection http)) {
                continue;
            }
            // START: waiting for a request (an idle keep-alive connection, which the idle timeout handles)
            boolean readingHeaders = http.getParser().inHeaderState() && !http.getParser().isStart();
            if (!readingHeaders) {
                continue;
            }
            seen.add(endPoint);
            long requests = http.getMessagesIn();
            Started started = inHeaders.compute(endPoint, (e, old) ->
                    old == null || old.requestsBefore() != requests ? new Started(now, requests) : old);
            if (now - started.nanos() > timeoutNanos) {
                endPoint.close();
            }
        }
        inHeaders.keySet().retainAll(seen);
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
