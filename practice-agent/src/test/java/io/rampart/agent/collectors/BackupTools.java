package io.rampart.agent.collectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.rampart.agent.config.LocalChecks;

/** Real restic and borg repositories for tests, made the way a practice's backup job makes them. */
public final class BackupTools {

    private static final Pattern SAVED = Pattern.compile("snapshot ([0-9a-f]{8}) saved");

    private BackupTools() {
    }

    /** A few files of known size: 3 files, 6 + 100 000 + 12 bytes. */
    public static Path sampleData(Path dir) throws IOException {
        Path data = Files.createDirectories(dir.resolve("patients"));
        Files.writeString(data.resolve("index.txt"), "hello\n");
        byte[] big = new byte[100_000];
        new java.util.Random(42).nextBytes(big);
        Files.createDirectories(data.resolve("xrays"));
        Files.write(data.resolve("xrays/0001.dcm"), big);
        Files.writeString(data.resolve("xrays/notes.txt"), "second line\n");
        return data;
    }

    public static final long SAMPLE_FILES = 3;
    public static final long SAMPLE_BYTES = 6 + 100_000 + 12;

    /** Empties a folder, keeping the folder: a share's mount point when the share is not mounted. */
    public static void emptyFolder(Path folder) throws IOException {
        try (var paths = Files.walk(folder)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (!path.equals(folder)) {
                    Files.delete(path);
                }
            }
        }
    }

    public static Path passwordFile(Path dir, String name, String password) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, password + "\n");
        return file;
    }

    public static void resticInit(Path repository, Path passwordFile) throws IOException {
        restic(repository, passwordFile, "init");
    }

    /** Backs up the folder; returns the snapshot's short id. */
    public static String resticBackup(Path repository, Path passwordFile, Path folder, String... extra) throws IOException {
        List<String> arguments = new ArrayList<>(List.of("backup", folder.toString()));
        arguments.addAll(List.of(extra));
        String output = restic(repository, passwordFile, arguments.toArray(String[]::new));
        Matcher m = SAVED.matcher(output);
        assertThat(m.find()).as("restic backup said: %s", output).isTrue();
        return m.group(1);
    }

    public static String restic(Path repository, Path passwordFile, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("restic", "--no-cache"));
        command.addAll(List.of(arguments));
        return run(command, Map.of("RESTIC_REPOSITORY", repository.toString(), "RESTIC_PASSWORD_FILE", passwordFile.toString()), null);
    }

    public static void borgInit(Path repository, Path passwordFile, Path borgBase) throws IOException {
        borg(passwordFile, borgBase, null, "init", "--encryption=repokey", repository.toString());
    }

    public static void borgCreate(Path repository, Path passwordFile, Path borgBase, String archive, Path folder, String... extra)
            throws IOException {
        List<String> arguments = new ArrayList<>(List.of("create"));
        arguments.addAll(List.of(extra));
        arguments.add(repository + "::" + archive);
        arguments.add(folder.getFileName().toString());
        borg(passwordFile, borgBase, folder.getParent(), arguments.toArray(String[]::new));
    }

    public static String borg(Path passwordFile, Path borgBase, Path cwd, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("borg"));
        command.addAll(List.of(arguments));
        return run(command, Map.of("BORG_PASSCOMMAND", "cat " + passwordFile, "BORG_BASE_DIR", borgBase.toString(),
                "HOME", borgBase.toString()), cwd);
    }

    /** checks.properties with the given key=value lines, read the way the agent reads it. */
    public static LocalChecks checks(Path dir, String... lines) throws IOException {
        Path file = dir.resolve("checks.properties");
        Files.write(file, List.of(lines), StandardCharsets.UTF_8);
        return LocalChecks.read(file);
    }

    /** Overwrites 16 bytes in the middle of every pack file: same size, wrong content. */
    public static void corruptResticData(Path repository) throws IOException {
        try (var files = Files.walk(repository.resolve("data"))) {
            for (Path pack : files.filter(Files::isRegularFile).toList()) {
                pack.toFile().setWritable(true);
                byte[] bytes = Files.readAllBytes(pack);
                for (int i = bytes.length / 2; i < Math.min(bytes.length, bytes.length / 2 + 16); i++) {
                    bytes[i] ^= (byte) 0xff;
                }
                Files.write(pack, bytes);
            }
        }
    }

    private static String run(List<String> command, Map<String, String> variables, Path cwd) throws IOException {
        Map<String, String> environment = new HashMap<>(variables);
        ExternalCommand.Outcome outcome = ExternalCommand.of(command).environment(environment).withoutInherited("RESTIC_", "BORG_")
                .workingDirectory(cwd).timeout(Duration.ofMinutes(2)).run();
        assertThat(outcome.succeeded()).as("%s said: %s", command, outcome.output()).isTrue();
        return outcome.output();
    }
}
