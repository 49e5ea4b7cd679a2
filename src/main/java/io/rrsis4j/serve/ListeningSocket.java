package io.rrsis4j.serve;

import io.rrsis4j.InvalidInputException;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;

/**
 * The server's listening socket, bound before Jetty starts: a port in use, an unknown host or a port out of range is
 * then one {@link InvalidInputException} line, not a Jetty start failure with a stack trace, and it can be checked
 * before a slow model load.
 */
public final class ListeningSocket implements AutoCloseable {
    /** Connections the kernel holds for the acceptor; a burst of connects (an attack, a load test) waits here. */
    static final int ACCEPT_BACKLOG = 1024;

    private final ServerSocketChannel channel;
    private final String host;

    private ListeningSocket(ServerSocketChannel channel, String host) {
        this.channel = channel;
        this.host = host;
    }

    /** Binds host:port (port 0: any free port); the message names the host or port at fault. */
    public static ListeningSocket open(String host, int port) {
        if (port < 0 || port > 65535) {
            throw new InvalidInputException("port " + port + ": not a port (0-65535)");
        }
        InetAddress address = resolve(host);
        ServerSocketChannel channel = null;
        try {
            channel = ServerSocketChannel.open();
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true); // a restart right after a crash finds TIME_WAIT
            channel.bind(new InetSocketAddress(address, port), ACCEPT_BACKLOG);
            channel.configureBlocking(true); // Jetty's acceptor threads block in accept()
            return new ListeningSocket(channel, host);
        } catch (BindException e) {
            closeQuietly(channel);
            String reason = e.getMessage() == null ? "" : e.getMessage().toLowerCase(java.util.Locale.ROOT);
            if (reason.contains("assign")) {
                throw new InvalidInputException("host " + host + ": not an address of this machine");
            }
            if (reason.contains("permission")) {
                throw new InvalidInputException("port " + port + ": needs administrator rights (ports below 1024)");
            }
            throw new InvalidInputException(host + ":" + port + " is already in use");
        } catch (SocketException e) {
            closeQuietly(channel);
            throw new InvalidInputException(host + ":" + port + ": cannot listen (" + UploadedImages.oneLine(e) + ")");
        } catch (IOException e) {
            closeQuietly(channel);
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Resolves the host name or address, so a typo is reported as such and not as a bind failure. */
    public static InetAddress resolve(String host) {
        if (host == null || host.isBlank()) {
            throw new InvalidInputException("host is empty");
        }
        try {
            return InetAddress.getByName(host.strip());
        } catch (UnknownHostException e) {
            throw new InvalidInputException("host " + host + ": unknown host");
        }
    }

    ServerSocketChannel channel() {
        return channel;
    }

    public String host() {
        return host;
    }

    public int port() {
        return channel.socket().getLocalPort();
    }

    /** Closes the socket if the server never took it over (Jetty closes it when the server stops). */
    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static void closeQuietly(ServerSocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing was listening yet
            }
        }
    }
}
