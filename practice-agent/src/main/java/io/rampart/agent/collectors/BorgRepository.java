package io.rampart.agent.collectors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * The borg command line, as the agent uses it: version, list, check, extract. The passphrase reaches borg
 * through BORG_PASSCOMMAND ({@code cat <password file>}); borg's cache, keys and security state live under
 * the agent's home (BORG_BASE_DIR), never in a service account's home.
 */
public final class BorgRepository implements RepositoryTool {

    private static final Pattern CHECK_BOILERPLATE = Pattern.compile("Starting repository check|Starting archive consistency check.*"
            + "|Repository check complete, no problems found\\.|Archive consistency check complete, no problems found\\."
            + "|Checking segments.*|Analyzing archive.*|Enter passphrase.*|Remote: .*keepalive.*");

    private final RepositoryBinding binding;
    private final Path baseDirectory;
    private final ZoneId borgZone;
    private final Consumer<ProcessHandle> onStarted;

    /** @param baseDirectory borg's BORG_BASE_DIR (and HOME): cache, security and key state */
    public BorgRepository(RepositoryBinding binding, Path baseDirectory) {
        this(binding, baseDirectory, ZoneId.systemDefault());
    }

    /** @param borgZone the zone borg writes archive times in (its local time, without an offset) */
    BorgRepository(RepositoryBinding binding, Path baseDirectory, ZoneId borgZone) {
        this(binding, baseDirectory, borgZone, started -> {});
    }

    /** @param onStarted told every borg process started, before it is waited for (see {@link RepositoryMemory}) */
    public BorgRepository(RepositoryBinding binding, Path baseDirectory, Consumer<ProcessHandle> onStarted) {
        this(binding, baseDirectory, ZoneId.systemDefault(), onStarted);
    }

    BorgRepository(RepositoryBinding binding, Path baseDirectory, ZoneId borgZone, Consumer<ProcessHandle> onStarted) {
        this.binding = binding;
        this.baseDirectory = baseDirectory;
        this.borgZone = borgZone;
        this.onStarted = onStarted;
    }

    @Override
    public String version() throws RepositoryProblem {
        ExternalCommand.Outcome outcome = run(List.of("--version"), Duration.ofMinutes(1), null);
        String[] words = outcome.stdout().strip().split("\\s+");
        return words.length >= 2 ? words[0] + " " + words[1] : "borg";
    }

    @Override
    public List<RepositorySnapshot> snapshots() throws RepositoryProblem {
        ExternalCommand.Outcome outcome = run(List.of("list", "--json", binding.repository()), ResticRepository.LISTING_TIMEOUT, null);
        if (outcome.timedOut()) {
            throw new RepositoryProblem("borg list did not answer within " + HumanDuration.of(ResticRepository.LISTING_TIMEOUT)
                    + " (is the repository set in " + binding.repositoryProperty() + " reachable?)");
        }
        if (!outcome.succeeded()) {
            throw problem("borg list", outcome);
        }
        JsonElement json;
        try {
            json = ToolJson.parse(outcome.stdout());
        } catch (ToolJson.NotJson e) {
            throw new RepositoryProblem("borg list printed something that is not the expected JSON");
        }
        List<RepositorySnapshot> snapshots = new ArrayList<>();
        for (JsonElement item : ToolJson.items(ToolJson.object(json), "archives")) {
            JsonObject archive = ToolJson.object(item);
            String name = text(archive, "name").isEmpty() ? text(archive, "archive") : text(archive, "name");
            snapshots.add(new RepositorySnapshot(name, name, time(text(archive, "time"))));
        }
        snapshots.sort(Comparator.comparing(RepositorySnapshot::time));
        return snapshots;
    }

    @Override
    public RepositoryCheckReport check(double readDataPercent) throws RepositoryProblem {
        boolean verifyData = readDataPercent > 0;
        List<String> arguments = new ArrayList<>(List.of("check"));
        if (verifyData) {
            // borg has no subset: any share asked for means reading all of it
            arguments.add("--verify-data");
        }
        arguments.add(binding.repository());
        ExternalCommand.Outcome outcome = run(arguments, binding.timeout(), null);
        if (outcome.timedOut()) {
            throw new RepositoryProblem("borg check did not finish within " + HumanDuration.of(binding.timeout()) + " (set "
                    + io.rampart.agent.config.LocalChecks.propertyFor(binding.checkId(), RepositoryBinding.TIMEOUT)
                    + " to allow longer)");
        }
        if (!outcome.succeeded()) {
            RepositoryProblem refusal = refusal("borg check", outcome.output());
            if (refusal != null) {
                throw refusal;
            }
        }
        List<String> lines = ExternalCommand.meaningfulLines(binding.redact(outcome.output()), CHECK_BOILERPLATE);
        String firstProblem = outcome.succeeded() ? "" : lines.stream().findFirst().orElse("borg check ended with exit code " + outcome.exitCode());
        return new RepositoryCheckReport(outcome.succeeded(), firstProblem, RepositoryCheckReport.shorten(String.join("\n", lines)),
                verifyData ? 100 : 0);
    }

    /** borg extract runs in the target folder: that is where borg puts the files. */
    @Override
    public ExternalCommand.Outcome restore(RepositorySnapshot snapshot, Path target) throws RepositoryProblem {
        ExternalCommand.Outcome outcome = run(List.of("extract", binding.repository() + "::" + snapshot.id()), binding.timeout(), target);
        if (outcome.timedOut()) {
            throw new RepositoryProblem("borg extract did not finish within " + HumanDuration.of(binding.timeout()));
        }
        if (!outcome.succeeded()) {
            RepositoryProblem refusal = refusal("borg extract", outcome.output());
            if (refusal != null) {
                throw refusal;
            }
        }
        return new ExternalCommand.Outcome(outcome.exitCode(), binding.redact(outcome.stdout()), binding.redact(outcome.stderr()),
                false, outcome.took());
    }

    /** {@code borg info --json <repo>::<archive>}: archives[0].stats.original_size and nfiles (files only). */
    @Override
    public SnapshotSize size(RepositorySnapshot snapshot) throws RepositoryProblem {
        // never longer than the check itself may take: a size is worth less than the check
        Duration limit = ResticRepository.shorter(ResticRepository.LISTING_TIMEOUT, binding.timeout());
        ExternalCommand.Outcome outcome = run(List.of("info", "--json", binding.repository() + "::" + snapshot.id()), limit, null);
        if (outcome.timedOut()) {
            throw new RepositoryProblem("borg info did not finish within " + HumanDuration.of(limit));
        }
        if (!outcome.succeeded()) {
            throw problem("borg info", outcome);
        }
        JsonObject info;
        try {
            info = ToolJson.object(ToolJson.parse(outcome.stdout()));
        } catch (ToolJson.NotJson e) {
            throw new RepositoryProblem("borg info printed something that is not the expected JSON");
        }
        List<JsonElement> archives = ToolJson.items(info, "archives");
        if (archives.isEmpty()) {
            throw new RepositoryProblem("borg info printed no archive");
        }
        JsonObject archive = ToolJson.object(archives.get(0));
        JsonObject stats = ToolJson.object(archive, "stats");
        if (!ToolJson.has(stats, "original_size") || !ToolJson.has(stats, "nfiles")) {
            throw new RepositoryProblem("borg info printed no original_size and nfiles");
        }
        return new SnapshotSize(ToolJson.number(stats, "original_size"), ToolJson.number(stats, "nfiles"), false, source(archive));
    }

    /**
     * What an archive backed up, from borg info's hostname and command_line: the arguments after the archive
     * ({@code borg create [options] REPO::ARCHIVE PATH...}), options left out. Two archives of the same job say the
     * same; a weekly job of other folders in the same repository does not.
     */
    static String source(JsonObject archive) {
        List<String> paths = new ArrayList<>();
        boolean afterArchive = false;
        for (JsonElement argument : ToolJson.items(archive, "command_line")) {
            String text = ToolJson.text(argument);
            if (text.contains("::")) {
                afterArchive = true;
            } else if (afterArchive && !text.startsWith("-")) {
                paths.add(text);
            }
        }
        return text(archive, "hostname") + ":" + String.join(" ", paths);
    }

    @Override
    public RepositoryBinding binding() {
        return binding;
    }

    private Instant time(String text) throws RepositoryProblem {
        try {
            return LocalDateTime.parse(text).atZone(borgZone).toInstant();
        } catch (DateTimeParseException e) {
            throw new RepositoryProblem("borg list gave an archive time that cannot be read: " + text);
        }
    }

    private ExternalCommand.Outcome run(List<String> arguments, Duration timeout, Path workingDirectory) throws RepositoryProblem {
        List<String> command = new ArrayList<>();
        command.add(binding.executable());
        command.addAll(arguments);
        try {
            Files.createDirectories(baseDirectory);
        } catch (IOException e) {
            throw new RepositoryProblem("borg needs a folder for its cache and the agent cannot create it under its home");
        }
        Map<String, String> environment = new HashMap<>();
        // shlex-quoted: borg splits the command like a shell would
        environment.put("BORG_PASSCOMMAND", "cat '" + binding.passwordFile().toString().replace("'", "'\\''") + "'");
        environment.put("BORG_BASE_DIR", baseDirectory.toString());
        environment.put("HOME", baseDirectory.toString());
        // nobody is there to answer borg's questions: a moved repository (a remounted drive) or an
        // unencrypted one is read as it is, and the check says what is in it
        environment.put("BORG_RELOCATED_REPO_ACCESS_IS_OK", "yes");
        environment.put("BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK", "yes");
        environment.put("BORG_DISPLAY_PASSPHRASE", "no");
        try {
            return ExternalCommand.of(command).environment(environment).withoutInherited("BORG_")
                    .workingDirectory(workingDirectory).timeout(timeout).onStarted(onStarted).run();
        } catch (ExternalCommand.NotInstalledException e) {
            throw binding.notInstalled();
        } catch (IOException e) {
            throw new RepositoryProblem("borg could not be run: " + e.getClass().getSimpleName());
        }
    }

    private RepositoryProblem problem(String what, ExternalCommand.Outcome outcome) {
        return binding.problem(what, outcome, refusal(what, outcome.output()));
    }

    private RepositoryProblem refusal(String what, String output) {
        if (output.contains("passcommand supplied in BORG_PASSCOMMAND failed")) {
            return new RepositoryProblem("borg cannot read the password file set in " + binding.passwordProperty());
        }
        if (output.contains("is incorrect")) {
            return new RepositoryProblem("borg cannot open the repository set in " + binding.repositoryProperty()
                    + ": the passphrase is incorrect (is " + binding.passwordProperty() + " the right password file?)");
        }
        if (output.contains("does not exist.") || output.contains("is not a valid repository")) {
            return new RepositoryProblem("there is no borg repository at the location set in " + binding.repositoryProperty()
                    + " (is the drive or share connected?)");
        }
        if (output.contains("Failed to create/acquire the lock")) {
            return new RepositoryProblem(what + " could not run: the repository set in " + binding.repositoryProperty()
                    + " is locked by another borg process (a backup running?)");
        }
        return null;
    }

    private static String text(JsonObject object, String field) {
        return ToolJson.text(object, field);
    }
}
