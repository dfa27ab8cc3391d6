package io.rampart.controlplane.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy between agents and the control plane's gRPC port that can be turned into a black
 * hole, as a dead office router or a firewall that drops packets would be: while it is one, bytes
 * are taken from both sides and go nowhere and new connections are accepted and never answered,
 * so callers see timeouts, not a refusal. {@link #restore()} drops the connections that fell into
 * it (as the router's reboot would) and forwards again.
 */
final class BlackholeProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean blackhole;

    BlackholeProxy(int targetPort) throws IOException {
        this.target = new InetSocketAddress("localhost", targetPort);
        this.listener = new ServerSocket(0);
        Thread acceptor = new Thread(this::accept, "blackhole-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Where agents connect: {@code localhost:<port>} (the control plane's certificate names localhost). */
    String address() {
        return "localhost:" + listener.getLocalPort();
    }

    void blackhole() {
        blackhole = true;
    }

    void restore() {
        blackhole = false;
        for (Socket socket : open) {
            closeQuietly(socket);
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                open.add(client);
                if (blackhole) {
                    pipe(client, null);
                    continue;
                }
                Socket server = new Socket();
                server.connect(target, 5000);
                open.add(server);
                pipe(client, server);
                pipe(server, client);
            } catch (IOException e) {
                // one connection failed (or the proxy closed); the client sees its socket close
            }
        }
    }

    /** Copies {@code from} to {@code to} (or nowhere) until either side closes; drops the bytes while a black hole. */
    private void pipe(Socket from, Socket to) {
        Thread copier = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream()) {
                OutputStream out = to == null ? null : to.getOutputStream();
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    if (!blackhole && out != null) {
                        out.write(buffer, 0, read);
                        out.flush();
                    }
                }
            } catch (IOException closed) {
                // either side went away
            } finally {
                closeQuietly(from);
                if (to != null) {
                    closeQuietly(to);
                }
            }
        }, "blackhole-proxy-pipe");
        copier.setDaemon(true);
        copier.start();
    }

    private void closeQuietly(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        restore();
    }
}
