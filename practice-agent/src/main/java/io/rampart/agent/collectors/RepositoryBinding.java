package io.rampart.agent.collectors;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

import io.rampart.agent.config.LocalChecks;

/**
 * Where a check's restic or borg repository is and how to open it, from the local settings
 * ({@code check.<id>.repository}, {@code check.<id>.password-file}, optionally {@code check.<id>.executable}
 * and {@code check.<id>.timeout}). The password stays in its file; only the file's path is handed to the tool.
 */
public record RepositoryBinding(String checkId, String tool, String repository, Path passwordFile, String executable,
        Duration timeout) {

    public static final String REPOSITORY = "repository";
    public static final String PASSWORD_FILE = "password-file";
    public static final String EXECUTABLE = "executable";
    public static final String TIMEOUT = "timeout";
    /** restic check --read-data and restores may take hours on a big repository. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(6);

    /** "sftp:host:/x", "rest:https://...", "s3:...", "borg: ssh://..." — anything but a local path. */
    private static final Pattern REMOTE = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+]+:.*");

    public static RepositoryBinding of(LocalChecks settings, String checkId, String tool) throws RepositoryProblem {
        String repositoryProperty = LocalChecks.propertyFor(checkId, REPOSITORY);
        String passwordProperty = LocalChecks.propertyFor(checkId, PASSWORD_FILE);
        Optional<String> repository = settings.setting(checkId, REPOSITORY);
        if (repository.isEmpty()) {
            throw new RepositoryProblem("this computer does not know where the " + tool + " repository of check " + checkId
                    + " is: set " + repositoryProperty + "=<" + (tool.equals("restic") ? "path or restic URL" : "path or ssh:// URL")
                    + "> in checks.properties");
        }
        if (isLocal(repository.get()) && !Files.isDirectory(Path.of(repository.get()))) {
            throw new RepositoryProblem("the " + tool + " repository set in " + repositoryProperty
                    + " does not exist or is not a folder (is the drive or share connected?)");
        }
        Optional<String> passwordFile = settings.setting(checkId, PASSWORD_FILE);
        if (passwordFile.isEmpty()) {
            throw new RepositoryProblem("this computer does not know the password of the " + tool + " repository of check "
                    + checkId + ": set " + passwordProperty + "=<file holding the password> in checks.properties");
        }
        Path file = Path.of(passwordFile.get());
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new RepositoryProblem("the password file set in " + passwordProperty + " does not exist or the agent may not read it");
        }
        String timeoutProperty = LocalChecks.propertyFor(checkId, TIMEOUT);
        Optional<String> timeoutText = settings.setting(checkId, TIMEOUT);
        Duration timeout = DEFAULT_TIMEOUT;
        if (timeoutText.isPresent()) {
            timeout = ExternalCommand.parseDuration(timeoutText.get()).orElseThrow(() -> new RepositoryProblem(
                    "the time limit set in " + timeoutProperty + " is not understood: write e.g. 90 min, 6 h or 1 d"));
        }
        return new RepositoryBinding(checkId, tool, repository.get(), file,
                settings.setting(checkId, EXECUTABLE).orElse(tool), timeout);
    }

    public static boolean isLocal(String repository) {
        return !REMOTE.matcher(repository).matches() || repository.startsWith("local:");
    }

    /** The repository's folder on this computer, when it is a local one. */
    public Optional<Path> localPath() {
        if (!isLocal(repository)) {
            return Optional.empty();
        }
        return Optional.of(Path.of(repository.startsWith("local:") ? repository.substring("local:".length()) : repository));
    }

    public String repositoryProperty() {
        return LocalChecks.propertyFor(checkId, REPOSITORY);
    }

    public String passwordProperty() {
        return LocalChecks.propertyFor(checkId, PASSWORD_FILE);
    }

    public String executableProperty() {
        return LocalChecks.propertyFor(checkId, EXECUTABLE);
    }

    /** A tool's message made fit to leave this computer: the repository location and password file are named, not shown. */
    public String redact(String text) {
        String redacted = text.replace(repository, "<repository>").replace(passwordFile.toString(), "<password file>");
        // credentials in URLs (rest:https://user:secret@host/) wherever a tool printed them
        return redacted.replaceAll("//[^/@\\s]+@", "//<credentials>@");
    }

    public RepositoryProblem notInstalled() {
        return new RepositoryProblem(tool + " is not installed on this computer (or not on the agent's PATH): install it, or set "
                + executableProperty() + "=<path to " + tool + "> in checks.properties");
    }

    @Override
    public String toString() {
        // never the password file's contents; its location is harmless but keep logs short
        return tool + " repository of check " + checkId;
    }

    /**
     * Why a repository command failed: the tool's refusal in a person's words when there is one,
     * else its first meaningful output line, with locations and secrets redacted.
     */
    RepositoryProblem problem(String what, ExternalCommand.Outcome outcome, RepositoryProblem refusal) {
        if (refusal != null) {
            return refusal;
        }
        String first = ExternalCommand.meaningfulLines(redact(outcome.output()), null).stream().findFirst()
                .orElse("exit code " + outcome.exitCode());
        return new RepositoryProblem(what + " failed for the repository set in " + repositoryProperty() + ": " + first);
    }
}
