package io.rampart.agent.nut;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A few lines of upsd's protocol, for the cases a real upsd cannot easily be made to show: a hung upsd, and a UPS
 * whose driver accepts INSTCMD test.battery.start.quick (NUT's dummy-ups has no instant commands).
 */
public final class FakeUpsd implements AutoCloseable {

    private final ServerSocket server;
    private final String upsName;
    private volatile Map<String, String> variables;
    private volatile boolean silent;
    private volatile String instantCommandAnswer = "ERR CMD-NOT-SUPPORTED";
    private volatile Runnable onInstantCommand = () -> {
    };
    public final List<String> received = new CopyOnWriteArrayList<>();

    public FakeUpsd(String upsName, Map<String, String> variables) throws IOException {
        this.upsName = upsName;
        this.variables = variables;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread thread = new Thread(this::serve, "fake-upsd");
        thread.setDaemon(true);
        thread.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public void variables(Map<String, String> variables) {
        this.variables = variables;
    }

    /**
     * How INSTCMD is answered (e.g. "OK", "ERR ACCESS-DENIED"), and what the UPS does after an OK (e.g. change its
     * ups.test.result), as a driver that supports the command would.
     */
    public void answerInstantCommands(String answer, Runnable then) {
        this.instantCommandAnswer = answer;
        this.onInstantCommand = then;
    }

    /** Accepts connections but never answers: what a hung upsd or a firewall that drops looks like. */
    public void silent(boolean silent) {
        this.silent = silent;
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
                String line;
                while ((line = in.readLine()) != null) {
                    received.add(line);
                    if (silent) {
                        continue;
                    }
                    if (line.startsWith("USERNAME ") || line.startsWith("PASSWORD ")) {
                        out.print("OK\n");
                    } else if (line.equals("LIST VAR " + upsName)) {
                        StringBuilder answer = new StringBuilder("BEGIN LIST VAR " + upsName + "\n");
                        variables.forEach((name, value) -> answer.append("VAR ").append(upsName).append(' ').append(name)
                                .append(" \"").append(value.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n"));
                        out.print(answer.append("END LIST VAR ").append(upsName).append('\n'));
                    } else if (line.startsWith("INSTCMD " + upsName + " ")) {
                        out.print(instantCommandAnswer + "\n");
                        if (instantCommandAnswer.startsWith("OK")) {
                            onInstantCommand.run();
                        }
                    } else if (line.startsWith("LIST VAR ")) {
                        out.print("ERR UNKNOWN-UPS\n");
                    } else if (line.equals("LOGOUT")) {
                        out.print("OK Goodbye\n");
                        out.flush();
                        break;
                    } else {
                        out.print("ERR UNKNOWN-COMMAND\n");
                    }
                    out.flush();
                }
            } catch (IOException e) {
                // closed, or the client went away
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
