package io.rampart.agent.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A parsed command: its name, its action (only {@code set-aside list|retry} has one; else "") and its {@code --option value} pairs. */
record CommandLine(String command, String action, Map<String, String> options) {

    private static final Map<String, Set<String>> OPTIONS = Map.of(
            "enroll", Set.of("server", "token", "ca-file", "home"),
            "run", Set.of("home"),
            "status", Set.of("home"),
            "report", Set.of("check", "status", "message", "software", "home"),
            "set-aside", Set.of("event", "home"),
            "check", Set.of("home", "only", "json", "report"),
            "doctor", Set.of("home"));
    /** Options that take no value: present means yes. */
    private static final Map<String, Set<String>> FLAGS = Map.of("check", Set.of("json", "report"));
    private static final Map<String, Set<String>> ACTIONS = Map.of("set-aside", Set.of("list", "retry"));
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
        int first = 1;
        String action = "";
        Set<String> actions = ACTIONS.get(command);
        if (actions != null) {
            if (args.size() < 2 || !actions.contains(args.get(1))) {
                throw new UsageException(command + " needs one of: " + String.join(", ", actions.stream().sorted().toList())
                        + (args.size() < 2 ? "" : " (not " + args.get(1) + ")"));
            }
            action = args.get(1);
            first = 2;
        }
        for (int i = first; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument: " + arg);
            }
            String name = arg.substring(2);
            String value = null;
            int equals = name.indexOf('=');
            if (FLAGS.getOrDefault(command, Set.of()).contains(name)) {
                value = "yes";
            } else if (equals >= 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else if (allowed.contains(name)) {
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
        return new CommandLine(command, action, Map.copyOf(options));
    }

    Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    /** Whether a flag (an option without a value, like {@code --json}) was given. */
    boolean flag(String name) {
        return options.containsKey(name);
    }
}
