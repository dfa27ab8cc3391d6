package io.rampart.agent.nut;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Speaks the Network UPS Tools network protocol (upsd, TCP 3493; NUT docs/net-protocol.txt) far enough to read a
 * UPS's variables ({@code LIST VAR <ups>} answered by {@code BEGIN LIST VAR}, {@code VAR <ups> <name> "<value>"}
 * lines and {@code END LIST VAR}) and to start an instant command ({@code USERNAME}, {@code PASSWORD}, then
 * {@code INSTCMD <ups> <command>} answered by {@code OK}). One short connection per call; no TLS (upsd usually
 * listens on the LAN or on localhost only).
 */
public final class NutClient {

    public static final int DEFAULT_PORT = 3493;

    /** UPS names in ups.conf: no spaces or quotes, so they go on the wire as they are. */
    private static final Pattern UPS_NAME = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    /** A UPS with more variables than this is not a UPS but something babbling. */
    private static final int MAX_LINES = 10_000;

    private final String host;
    private final int port;
    private final Duration timeout;

    public NutClient(String host, int port, Duration timeout) {
        this.host = host;
        this.port = port;
        this.timeout = timeout;
    }

    /** Optional login; upsd lets anyone on its LISTEN address read variables, but a site may still want it. */
    public record Credentials(String username, String password) {
        @Override
        public String toString() {
            return "Credentials[username=" + username + ", password=***]";
        }
    }

    public String address() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    public static boolean isValidUpsName(String ups) {
        return UPS_NAME.matcher(ups).matches();
    }

    /** Every variable of the UPS, in upsd's order, e.g. "ups.status" -> "OL CHRG". */
    public Map<String, String> listVariables(String ups, Optional<Credentials> credentials) throws NutException {
        if (!isValidUpsName(ups)) {
            throw new IllegalArgumentException("not a NUT UPS name: " + ups);
        }
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), millis);
            socket.setSoTimeout(millis);
            OutputStream out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            if (credentials.isPresent()) {
                expectOk(send(out, in, "USERNAME " + quote(credentials.get().username())), "USERNAME");
                expectOk(send(out, in, "PASSWORD " + quote(credentials.get().password())), "PASSWORD");
            }
            Map<String, String> variables = listVar(out, in, ups);
            try {
                out.write("LOGOUT\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                // we have what we came for; a rude close is upsd's business
            }
            return variables;
        } catch (SocketTimeoutException e) {
            throw new NutException(NutException.Kind.TIMEOUT, "", "upsd at " + address() + " did not answer within "
                    + timeout.toMillis() + " ms", e);
        } catch (UnknownHostException e) {
            throw new NutException(NutException.Kind.UNREACHABLE, "", "the host " + host + " of upsd is unknown", e);
        } catch (ConnectException e) {
            throw new NutException(NutException.Kind.UNREACHABLE, "", "cannot connect to upsd at " + address()
                    + " (" + Optional.ofNullable(e.getMessage()).orElse("connection refused") + ")", e);
        } catch (IOException e) {
            throw new NutException(NutException.Kind.UNREACHABLE, "", "the connection to upsd at " + address() + " failed: "
                    + e.getClass().getSimpleName() + Optional.ofNullable(e.getMessage()).map(m -> " (" + m + ")").orElse(""), e);
        }
    }

    /**
     * Starts an instant command, e.g. {@code test.battery.start.quick}: logs in, sends {@code INSTCMD <ups> <command>}
     * and returns when upsd answers OK (it has passed the command to the driver; the UPS acts on it afterwards).
     *
     * @throws NutException {@link NutException.Kind#ACCESS_DENIED} when the login or the command is refused (upsd.users
     *         lacks {@code instcmds = <command>}), {@link NutException.Kind#COMMAND_NOT_SUPPORTED} when the driver has no
     *         such command, or the other kinds for network and protocol problems
     */
    public void instantCommand(String ups, String command, Credentials credentials) throws NutException {
        if (!isValidUpsName(ups) || !command.matches("[a-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("not a NUT UPS name or command: " + ups + " " + command);
        }
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), millis);
            socket.setSoTimeout(millis);
            OutputStream out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            expectOk(send(out, in, "USERNAME " + quote(credentials.username())), "USERNAME");
            expectOk(send(out, in, "PASSWORD " + quote(credentials.password())), "PASSWORD");
            String answer = send(out, in, "INSTCMD " + ups + " " + command);
            checkError(answer, ups);
            if (!answer.startsWith("OK")) {
                throw protocol("INSTCMD " + ups + " " + command, answer);
            }
            try {
                out.write("LOGOUT\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                // the command is on its way; a rude close is upsd's business
            }
        } catch (SocketTimeoutException e) {
            throw new NutException(NutException.Kind.TIMEOUT, "", "upsd at " + address() + " did not answer within "
                    + timeout.toMillis() + " ms", e);
        } catch (UnknownHostException e) {
            throw new NutException(NutException.Kind.UNREACHABLE, "", "the host " + host + " of upsd is unknown", e);
        } catch (IOException e) {
            throw new NutException(NutException.Kind.UNREACHABLE, "", "the connection to upsd at " + address() + " failed: "
                    + e.getClass().getSimpleName() + Optional.ofNullable(e.getMessage()).map(m -> " (" + m + ")").orElse(""), e);
        }
    }

    private Map<String, String> listVar(OutputStream out, BufferedReader in, String ups) throws IOException, NutException {
        String first = send(out, in, "LIST VAR " + ups);
        checkError(first, ups);
        if (!first.equals("BEGIN LIST VAR " + ups)) {
            throw protocol("LIST VAR " + ups, first);
        }
        Map<String, String> variables = new LinkedHashMap<>();
        for (int lines = 0; lines < MAX_LINES; lines++) {
            String line = readLine(in);
            if (line.equals("END LIST VAR " + ups)) {
                return variables;
            }
            checkError(line, ups);
            List<String> words = words(line);
            if (words.size() != 4 || !words.get(0).equals("VAR") || !words.get(1).equals(ups)) {
                throw protocol("LIST VAR " + ups, line);
            }
            variables.put(words.get(2), words.get(3));
        }
        throw new NutException(NutException.Kind.PROTOCOL, "", "upsd at " + address() + " sent more than " + MAX_LINES
                + " lines for LIST VAR " + ups, null);
    }

    private static String send(OutputStream out, BufferedReader in, String command) throws IOException {
        out.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return readLine(in);
    }

    private static String readLine(BufferedReader in) throws IOException {
        String line = in.readLine();
        if (line == null) {
            throw new IOException("upsd closed the connection");
        }
        return line;
    }

    private void expectOk(String answer, String command) throws NutException {
        checkError(answer, "");
        if (!answer.startsWith("OK")) {
            throw protocol(command, answer);
        }
    }

    private void checkError(String line, String ups) throws NutException {
        if (!line.startsWith("ERR")) {
            return;
        }
        String[] parts = line.trim().split("\\s+", 3);
        String code = parts.length > 1 ? parts[1] : "";
        NutException.Kind kind = switch (code) {
            case "UNKNOWN-UPS" -> NutException.Kind.UNKNOWN_UPS;
            case "ACCESS-DENIED", "USERNAME-REQUIRED", "PASSWORD-REQUIRED", "INVALID-USERNAME", "INVALID-PASSWORD",
                    "USERNAME-REQUIRED-TO-LOGIN" -> NutException.Kind.ACCESS_DENIED;
            case "DATA-STALE", "DRIVER-NOT-CONNECTED" -> NutException.Kind.NO_DATA;
            case "CMD-NOT-SUPPORTED" -> NutException.Kind.COMMAND_NOT_SUPPORTED;
            default -> NutException.Kind.PROTOCOL;
        };
        String what = switch (kind) {
            case UNKNOWN_UPS -> "upsd at " + address() + " knows no UPS named " + ups;
            case ACCESS_DENIED -> "upsd at " + address() + " refused the login or the command";
            case COMMAND_NOT_SUPPORTED -> "the NUT driver of UPS " + ups + " has no such command";
            case NO_DATA -> "upsd at " + address() + " has no current data for UPS " + ups
                    + (code.equals("DATA-STALE") ? " (its data is stale)" : " (its driver is not connected)");
            default -> "upsd at " + address() + " answered with an error";
        };
        throw new NutException(kind, code, what + ": " + line.trim(), null);
    }

    private NutException protocol(String command, String answer) {
        String shown = answer.length() > 80 ? answer.substring(0, 80) + "..." : answer;
        return new NutException(NutException.Kind.PROTOCOL, "", "unexpected answer from upsd at " + address() + " to "
                + command + ": " + shown, null);
    }

    /** Splits a protocol line into words; "quoted values" may hold spaces, \" and \\. */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '\\' && i + 1 < line.length()) {
                    word.append(line.charAt(++i));
                } else if (c == '"') {
                    quoted = false;
                } else {
                    word.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                if (word == null) {
                    word = new StringBuilder();
                }
            } else if (c == ' ' || c == '\t') {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                if (word == null) {
                    word = new StringBuilder();
                }
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }

    static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
