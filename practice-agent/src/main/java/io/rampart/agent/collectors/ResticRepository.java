package io.rampart.agent.collectors;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * The restic command line, as the agent uses it: version, snapshots, check, restore. The repository and
 * password file go to restic in RESTIC_REPOSITORY and RESTIC_PASSWORD_FILE, never on the command line.
 */
public final class ResticRepository implements RepositoryTool {

    static final Duration LISTING_TIMEOUT = Duration.ofMinutes(15);
    private static final Pattern CHECK_BOILERPLATE = Pattern.compile("using temporary cache.*|create exclusive lock.*"
            + "|load indexes|check all packs|check snapshots, trees and blobs|read all data.*|read [0-9.]+% of data packs"
            + "|read group .*|no errors were found|created new cache.*|Fatal: repository contains errors");

    private final RepositoryBinding binding;
    private final Path cacheDirectory;
    private final Consumer<ProcessHandle> onStarted;

    /** @param cacheDirectory where restic keeps its cache (under the agent's home), never the user's home */
    public ResticRepository(RepositoryBinding binding, Path cacheDirectory) {
        this(binding, cacheDirectory, started -> {});
    }

    /**
     * @param onStarted told every restic process started, before it is waited for (see {@link RepositoryMemory}: a
     *                  lock is the agent's own only if the agent knows it started its process)
     */
    public ResticRepository(RepositoryBinding binding, Path cacheDirectory, Consumer<ProcessHandle> onStarted) {
        this.binding = binding;
        this.cacheDirectory = cacheDirectory;
        this.onStarted = onStarted;
    }

    /** Runs restic for {@link ResticLocks} (list locks, cat lock), with this repository's settings. */
    ExternalCommand.Outcome runForLocks(List<String> arguments, Duration timeout) throws RepositoryProblem {
        return run(arguments, timeout, null);
    }

    /** restic unlock: removes every lock restic judges stale. True when restic said it succeeded. */
    boolean unlock() throws RepositoryProblem {
        return run(List.of("unlock"), Duration.ofMinutes(2), null).succeeded();
    }

    /** "restic 0.14.0". */
    @Override
    public String version() throws RepositoryProblem {
        ExternalCommand.Outcome outcome = run(List.of("version"), Duration.ofMinutes(1), null);
        String[] words = outcome.stdout().strip().split("\\s+");
        return words.length >= 2 ? words[0] + " " + words[1] : "restic";
    }

    /** All snapshots, oldest first. */
    @Override
    public List<RepositorySnapshot> snapshots() throws RepositoryProblem {
        ExternalCommand.Outcome outcome = run(List.of("snapshots", "--json", "--no-lock"), LISTING_TIMEOUT, null);
        if (!outcome.succeeded()) {
            throw problem("restic snapshots", outcome);
        }
        JsonElement json;
        try {
            json = ToolJson.parse(outcome.stdout().isBlank() ? "[]" : outcome.stdout());
        } catch (ToolJson.NotJson e) {
            throw new RepositoryProblem("restic snapshots printed something that is not the expected JSON list");
        }
        List<RepositorySnapshot> snapshots = new ArrayList<>();
        for (JsonElement item : ToolJson.items(json)) {
            snapshots.add(snapshot(ToolJson.object(item)));
        }
        snapshots.sort(Comparator.comparing(RepositorySnapshot::time));
        return snapshots;
    }

    /**
     * One entry of {@code restic snapshots --json}: id, time, what was backed up (hostname and paths) and, from
     * restic 0.17 on, the backup's {@code summary} (total_bytes_processed, total_files_processed).
     */
    static RepositorySnapshot snapshot(JsonObject snapshot) {
        String id = text(snapshot, "id");
        String shortId = text(snapshot, "short_id");
        List<String> paths = new ArrayList<>();
        for (JsonElement path : ToolJson.items(snapshot, "paths")) {
            paths.add(ToolJson.text(path));
        }
        Collections.sort(paths);
        Optional<SnapshotSize> summary = Optional.empty();
        JsonObject fields = ToolJson.object(snapshot, "summary");
        if (ToolJson.has(fields, "total_bytes_processed") && ToolJson.has(fields, "total_files_processed")) {
            summary = Optional.of(new SnapshotSize(ToolJson.number(fields, "total_bytes_processed"),
                    ToolJson.number(fields, "total_files_processed"), false));
        }
        return new RepositorySnapshot(id, shortId.isEmpty() ? id.substring(0, Math.min(8, id.length())) : shortId,
                Instant.parse(text(snapshot, "time")), text(snapshot, "hostname") + ":" + String.join(",", paths), summary);
    }

    /** {@code restic stats --json --no-lock <id>}: restore-size mode, total_size and total_file_count (files and folders). */
    @Override
    public SnapshotSize size(RepositorySnapshot snapshot) throws RepositoryProblem {
        // never longer than the check itself may take: a size is worth less than the check
        Duration limit = shorter(LISTING_TIMEOUT, binding.timeout());
        ExternalCommand.Outcome outcome = run(List.of("stats", "--json", "--no-lock", snapshot.id()), limit, null);
        if (outcome.timedOut()) {
            throw new RepositoryProblem("restic stats did not finish within " + HumanDuration.of(limit));
        }
        if (!outcome.succeeded()) {
            throw problem("restic stats", outcome);
        }
        try {
            JsonObject stats = ToolJson.object(ToolJson.parse(outcome.stdout()));
            if (!ToolJson.has(stats, "total_size")) {
                throw new RepositoryProblem("restic stats printed no total_size");
            }
            // total_file_count is left out of the JSON when it is 0
            return new SnapshotSize(ToolJson.number(stats, "total_size"), ToolJson.number(stats, "total_file_count"), true);
        } catch (ToolJson.NotJson e) {
            throw new RepositoryProblem("restic stats printed something that is not the expected JSON");
        }
    }

    /** restic check, reading the given share of the pack data when above 0. */
    @Override
    public RepositoryCheckReport check(double readDataPercent) throws RepositoryProblem {
        double percent = Math.min(100, Math.max(0, readDataPercent));
        List<String> arguments = new ArrayList<>(List.of("check"));
        if (percent > 0) {
            arguments.add("--read-data-subset=" + percentText(percent) + "%");
        }
        ExternalCommand.Outcome outcome = run(arguments, binding.timeout(), null);
        String output = outcome.output();
        if (outcome.timedOut()) {
            throw new RepositoryProblem("restic check did not finish within " + HumanDuration.of(binding.timeout())
                    + " (set " + property(RepositoryBinding.TIMEOUT) + " to allow longer)");
        }
        if (!outcome.succeeded()) {
            // a refusal to start is no verdict on the repository
            RepositoryProblem refusal = refusal("restic check", output);
            if (refusal != null) {
                throw refusal;
            }
        }
        List<String> lines = ExternalCommand.meaningfulLines(binding.redact(output), CHECK_BOILERPLATE);
        String firstProblem = outcome.succeeded() ? "" : firstProblem(lines);
        return new RepositoryCheckReport(outcome.succeeded(), firstProblem,
                RepositoryCheckReport.shorten(String.join("\n", lines)), percent);
    }

    /** restic restore of one snapshot into target, with restic's own --verify of the restored files. */
    @Override
    public ExternalCommand.Outcome restore(RepositorySnapshot snapshot, Path target) throws RepositoryProblem {
        ExternalCommand.Outcome outcome = run(List.of("restore", snapshot.id(), "--target", target.toString(), "--verify"),
                binding.timeout(), null);
        if (outcome.timedOut()) {
            throw new RepositoryProblem("restic restore did not finish within " + HumanDuration.of(binding.timeout())
                    + " (set " + property(RepositoryBinding.TIMEOUT) + " to allow longer)");
        }
        if (!outcome.succeeded()) {
            RepositoryProblem refusal = refusal("restic restore", outcome.output());
            if (refusal != null) {
                throw refusal;
            }
        }
        return new ExternalCommand.Outcome(outcome.exitCode(), binding.redact(outcome.stdout()),
                binding.redact(outcome.stderr()), false, outcome.took());
    }

    @Override
    public RepositoryBinding binding() {
        return binding;
    }

    /** "error for tree 4897636e:" says little without the line after it, so they go together. */
    static String firstProblem(List<String> lines) {
        if (lines.isEmpty()) {
            return "the repository contains errors";
        }
        String first = lines.get(0);
        return first.endsWith(":") && lines.size() > 1 ? first + " " + lines.get(1) : first;
    }

    static String percentText(double percent) {
        return new BigDecimal(Double.toString(percent)).stripTrailingZeros().toPlainString();
    }

    private String property(String key) {
        return io.rampart.agent.config.LocalChecks.propertyFor(binding.checkId(), key);
    }

    private ExternalCommand.Outcome run(List<String> arguments, Duration timeout, Path workingDirectory) throws RepositoryProblem {
        List<String> command = new ArrayList<>();
        command.add(binding.executable());
        command.addAll(arguments);
        Map<String, String> environment = new HashMap<>();
        environment.put("RESTIC_REPOSITORY", binding.repository());
        environment.put("RESTIC_PASSWORD_FILE", binding.passwordFile().toString());
        environment.put("RESTIC_CACHE_DIR", cacheDirectory.toString());
        try {
            ExternalCommand.Outcome outcome = ExternalCommand.of(command).environment(environment)
                    .withoutInherited("RESTIC_").workingDirectory(workingDirectory).timeout(timeout).onStarted(onStarted).run();
            if (outcome.timedOut() && arguments.get(0).equals("snapshots")) {
                throw new RepositoryProblem("restic snapshots did not answer within " + HumanDuration.of(timeout)
                        + " (is the repository set in " + binding.repositoryProperty() + " reachable?)");
            }
            return outcome;
        } catch (ExternalCommand.NotInstalledException e) {
            throw binding.notInstalled();
        } catch (IOException e) {
            throw new RepositoryProblem("restic could not be run: " + e.getClass().getSimpleName());
        }
    }

    private RepositoryProblem problem(String what, ExternalCommand.Outcome outcome) {
        return binding.problem(what, outcome, refusal(what, outcome.output()));
    }

    /** restic would not open the repository at all: which setting is wrong, in a person's words; null if not that. */
    private RepositoryProblem refusal(String what, String output) {
        if (output.contains("wrong password or no key found")) {
            return new RepositoryProblem("restic cannot open the repository set in " + binding.repositoryProperty()
                    + ": wrong password or no key found (is " + binding.passwordProperty() + " the right password file?)");
        }
        if (output.contains("Is there a repository at the following location?") || output.contains("unable to open config file")) {
            return new RepositoryProblem("there is no restic repository at the location set in " + binding.repositoryProperty()
                    + " (is the drive or share connected?)");
        }
        if (output.contains("Resolving password failed")) {
            return new RepositoryProblem("restic cannot read the password file set in " + binding.passwordProperty());
        }
        if (output.contains("repository is already locked")) {
            return new RepositoryProblem(what + " could not run: the repository set in " + binding.repositoryProperty()
                    + " is locked by another restic process (a backup running?)");
        }
        return null;
    }

    private static String text(JsonObject object, String field) {
        return ToolJson.text(object, field);
    }

    /** The shorter of two time limits. */
    static Duration shorter(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
