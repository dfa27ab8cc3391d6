package io.rampart.helm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The instructions of a Dockerfile, read as the Docker builder reads them: comment lines dropped,
 * lines ending in a backslash joined, the first word the instruction (upper-cased), the rest its
 * arguments. Enough of the syntax for the control plane's Dockerfile.jvm (no ARG substitution, no
 * heredocs, single stage); {@link IllegalArgumentException} for an instruction this class does not know
 * how to read when asked for it.
 */
final class Dockerfile {

    /** One instruction: {@code name} upper-case (FROM, COPY, ENV ...), {@code arguments} as written. */
    record Instruction(String name, String arguments) {
    }

    /** A COPY: its options ({@code --chown=185} as chown -> 185), sources and destination. */
    record Copy(Map<String, String> options, List<String> sources, String destination) {
    }

    private static final Pattern ENV_PAIR = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"((?:[^\"\\\\]|\\\\.)*)\"|'([^']*)'|(\\S*))");

    private final List<Instruction> instructions;

    private Dockerfile(List<Instruction> instructions) {
        this.instructions = List.copyOf(instructions);
    }

    /** Reads the file; {@link IOException} when it cannot be read. */
    static Dockerfile read(Path file) throws IOException {
        List<Instruction> found = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(file)) {
            String trimmed = line.trim();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.length() == 0)) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            String whole = current.toString().trim();
            current.setLength(0);
            if (!whole.isEmpty()) {
                String[] parts = whole.split("\\s+", 2);
                found.add(new Instruction(parts[0].toUpperCase(), parts.length > 1 ? parts[1].trim() : ""));
            }
        }
        return new Dockerfile(found);
    }

    List<Instruction> all(String name) {
        return instructions.stream().filter(i -> i.name().equals(name)).collect(Collectors.toList());
    }

    /** The last instruction of that name (the one in force), or an {@link IllegalArgumentException}. */
    String last(String name) {
        List<Instruction> found = all(name);
        if (found.isEmpty()) {
            throw new IllegalArgumentException("the Dockerfile has no " + name);
        }
        return found.get(found.size() - 1).arguments();
    }

    /** The user the container runs as: the last USER (a name or uid, without the group). */
    String user() {
        return last("USER").split(":")[0];
    }

    /** The ports of every EXPOSE, without a /tcp suffix. */
    List<Integer> exposedPorts() {
        List<Integer> ports = new ArrayList<>();
        for (Instruction expose : all("EXPOSE")) {
            for (String port : expose.arguments().split("\\s+")) {
                ports.add(Integer.parseInt(port.replaceFirst("/tcp$", "")));
            }
        }
        return ports;
    }

    /** The environment the image sets: every ENV in order, later ones winning (KEY=value forms only). */
    Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        for (Instruction env : all("ENV")) {
            Matcher pair = ENV_PAIR.matcher(env.arguments());
            boolean any = false;
            while (pair.find()) {
                any = true;
                String value = pair.group(3) != null ? pair.group(3).replaceAll("\\\\(.)", "$1")
                        : pair.group(4) != null ? pair.group(4) : pair.group(5);
                environment.put(pair.group(1), value);
            }
            if (!any) {
                throw new IllegalArgumentException("ENV " + env.arguments() + " is not in the KEY=value form");
            }
        }
        return environment;
    }

    /** Every COPY, options split from the sources and the destination (the last word). */
    List<Copy> copies() {
        List<Copy> copies = new ArrayList<>();
        for (Instruction copy : all("COPY")) {
            Map<String, String> options = new LinkedHashMap<>();
            List<String> words = new ArrayList<>();
            for (String word : copy.arguments().split("\\s+")) {
                if (word.startsWith("--")) {
                    String[] option = word.substring(2).split("=", 2);
                    options.put(option[0], option.length > 1 ? option[1] : "");
                } else {
                    words.add(word);
                }
            }
            copies.add(new Copy(options, words.subList(0, words.size() - 1), words.get(words.size() - 1)));
        }
        return copies;
    }

    /** The ENTRYPOINT in its exec (JSON array) form, as its words. */
    List<String> entrypoint() {
        String entrypoint = last("ENTRYPOINT");
        if (!entrypoint.startsWith("[")) {
            throw new IllegalArgumentException("ENTRYPOINT is not in the exec form: " + entrypoint);
        }
        List<String> words = new ArrayList<>();
        Matcher quoted = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(entrypoint);
        while (quoted.find()) {
            words.add(quoted.group(1));
        }
        return words;
    }
}
