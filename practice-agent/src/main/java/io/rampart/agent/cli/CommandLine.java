package io.rampart.agent.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A parsed command: its name and its {@code --option value} pairs. */
record CommandLine(String command, Map<String, String> options) {

    private static final Map<String, Set<String>> OPTIONS = Map.of(
            "enroll", Set.of("server", "token", "ca-file", "home"),
            "run", Set.of("home"),
            "status", Set.of("home"),
            "report", Set.of("check", "status", "message", "software", "home"));
    private static final Map<String, Set<String>> REQUIRED = Map.of("enroll", Set.of("server", "token", "ca-file"),
            "report", Set.of("check", "status"));

    /** Thrown for anything the usage text should answer. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    static CommandLine parse(List<String> args) {
        if (args.isEmpty()) {
            throw new UsageException("no command given");
        }
        String command = args.get(0);
        Set<String> allowed = OPTIONS.get(command);
        if (allowed == null) {
            throw new UsageException("unknown command: " + command);
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument: " + arg);
            }
            String name = arg.substring(2);
            String value;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new UsageException("--" + name + " needs a value");
            }
            if (!allowed.contains(name)) {
                throw new UsageException("unknown option for " + command + ": --" + name);
            }
            options.put(name, value);
        }
        for (String required : REQUIRED.getOrDefault(command, Set.of())) {
            if (!options.containsKey(required) || options.get(required).isBlank()) {
                throw new UsageException(command + " needs --" + required);
            }
        }
        return new CommandLine(command, Map.copyOf(options));
    }

    Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }
}
