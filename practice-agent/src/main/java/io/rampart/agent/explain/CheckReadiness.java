package io.rampart.agent.explain;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

import io.rampart.agent.collectors.RepositoryBinding;
import io.rampart.agent.config.LocalChecks;
import io.rampart.agent.nut.NutClient;
import io.rampart.agent.nut.NutException;
import io.rampart.agent.restore.PostgresDumpRestore;
import io.rampart.agent.restore.RepositoryRestore;
import io.rampart.agent.restore.RestoreTestCollector;
import io.rampart.protocol.agent.v1.CheckDefinition;

/**
 * What each configured check needs on this computer, looked at without running the check: its folders (there, a
 * folder, readable by the user the agent runs as), its password files (there and readable; never read out), the
 * servers it talks to (upsd answering for the UPS, database servers taking TCP connections) and the tools it runs
 * (installed, which version). Settings are those of {@code checks.properties}, as the collectors read them.
 */
final class CheckReadiness {

    private static final Duration NETWORK_TIMEOUT = Duration.ofSeconds(5);

    private final LocalChecks settings;
    private final Path home;
    private final String user;
    /** executable -> tool name and the checks that need it, looked at once each after the checks. */
    private final Map<String, Need> tools = new LinkedHashMap<>();

    private record Need(String tool, TreeSet<String> checks) {
    }

    CheckReadiness(LocalChecks settings, Path home, String user) {
        this.settings = settings;
        this.home = home;
        this.user = user;
    }

    /** The findings for these checks, then one per tool they need. */
    List<Finding> examine(List<CheckDefinition> checks) {
        List<Finding> findings = new ArrayList<>();
        for (CheckDefinition check : checks) {
            String id = check.getCheckId();
            switch (check.getKind()) {
                case CHECK_KIND_BACKUP_FOLDER, CHECK_KIND_USB_ROTATION -> findings.add(folder("path of " + id, id, "path"));
                case CHECK_KIND_RESTIC_REPOSITORY -> repository(findings, id, "restic");
                case CHECK_KIND_BORG_REPOSITORY -> repository(findings, id, "borg");
                case CHECK_KIND_RESTORE_TEST -> restoreTest(findings, check);
                case CHECK_KIND_DATABASE_SYNC -> databaseSync(findings, id);
                case CHECK_KIND_UPS -> findings.add(ups(id));
                default -> {
                    // a reported job needs nothing on this computer but the `report` command
                }
            }
        }
        tools.forEach((executable, need) -> findings.add(tool(need.tool(), executable, need.checks())));
        return findings;
    }

    private void repository(List<Finding> findings, String id, String tool) {
        Optional<String> repository = settings.setting(id, RepositoryBinding.REPOSITORY);
        String property = LocalChecks.propertyFor(id, RepositoryBinding.REPOSITORY);
        if (repository.isEmpty()) {
            findings.add(Finding.problem("repository of " + id, property + " is not set",
                    "set " + property + "=<path or URL of the " + tool + " repository> in checks.properties"));
        } else if (RepositoryBinding.isLocal(repository.get())) {
            String path = repository.get().startsWith("local:") ? repository.get().substring("local:".length()) : repository.get();
            findings.add(folderAt("repository of " + id, Path.of(path), property));
        } else {
            // a remote address may carry credentials: name its kind only
            findings.add(Finding.ok("repository of " + id, "a remote " + tool + " repository (" + repository.get().split(":", 2)[0]
                    + ":…); the check itself opens it"));
        }
        findings.add(secretFile("password file of " + id, id, RepositoryBinding.PASSWORD_FILE, true));
        need(tool, settings.setting(id, RepositoryBinding.EXECUTABLE).orElse(tool), id);
    }

    private void restoreTest(List<Finding> findings, CheckDefinition check) {
        String id = check.getCheckId();
        String source = check.getRestoreTest().getSourceCheckId().trim();
        Path scratch = settings.setting(id, RestoreTestCollector.SCRATCH).map(Path::of).orElse(home.resolve("restore-scratch"));
        Path existing = scratch;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
            findings.add(Finding.problem("scratch folder of " + id, scratch + " cannot be made or written by " + user,
                    "set " + LocalChecks.propertyFor(id, RestoreTestCollector.SCRATCH) + "=<a folder " + user + " may write, with room for a restore>"));
        } else {
            findings.add(Finding.ok("scratch folder of " + id, scratch + " (writable; " + Disk.free(existing) + " free)"));
        }
        if (source.isEmpty()) {
            findings.add(Finding.problem("source of " + id, "the policy names no check to restore from",
                    "ask your IT provider to choose the source of this restore test"));
            return;
        }
        if (settings.setting(source, RepositoryBinding.REPOSITORY).isPresent()) {
            String tool = settings.setting(source, RepositoryRestore.TOOL).orElse("restic").trim().toLowerCase(java.util.Locale.ROOT);
            need(tool, settings.setting(source, RepositoryBinding.EXECUTABLE).orElse(tool), id);
        } else if (settings.setting(source, PostgresDumpRestore.DUMP_PATH).isPresent()) {
            findings.add(folder("dump folder of " + source, source, PostgresDumpRestore.DUMP_PATH));
            need("psql", settings.setting(id, "psql").orElse("psql"), id);
            need("pg_restore", settings.setting(id, "pg-restore").orElse("pg_restore"), id);
            settings.setting(id, PostgresDumpRestore.SCRATCH_DATABASE).ifPresentOrElse(
                    server -> findings
                            .add(tcp("scratch database server of " + id, server, 5432, LocalChecks.propertyFor(id, PostgresDumpRestore.SCRATCH_DATABASE))),
                    () -> findings.add(Finding.problem("scratch database server of " + id,
                            LocalChecks.propertyFor(id, PostgresDumpRestore.SCRATCH_DATABASE) + " is not set",
                            "set it to host:port of a PostgreSQL server where the agent's user may create databases")));
        } else if (settings.folderFor(source).isPresent()) {
            findings.add(folder("path of " + source + " (restored by " + id + ")", source, "path"));
        } else {
            findings.add(Finding.problem("source of " + id, "this computer does not know where the backups of " + source + " are",
                    "set " + LocalChecks.propertyFor(source) + "=<folder>, or " + LocalChecks.propertyFor(source, RepositoryBinding.REPOSITORY)
                            + ", or " + LocalChecks.propertyFor(source, PostgresDumpRestore.DUMP_PATH) + " in checks.properties"));
        }
    }

    private void databaseSync(List<Finding> findings, String id) {
        for (String role : List.of("primary", "secondary")) {
            Optional<String> server = settings.setting(id, role);
            if (server.isEmpty()) {
                findings.add(Finding.problem(role + " database of " + id, LocalChecks.propertyFor(id, role) + " is not set",
                        "set " + LocalChecks.propertyFor(id, role) + "=<host:port> in checks.properties"));
            } else {
                findings.add(tcp(role + " database of " + id, server.get(), 5432, LocalChecks.propertyFor(id, role)));
            }
        }
        if (settings.setting(id, "password-file").isPresent()) {
            findings.add(secretFile("password file of " + id, id, "password-file", false));
        }
        need("psql", settings.setting(id, "psql").orElse("psql"), id);
    }

    private Finding ups(String id) {
        Optional<String> ups = settings.setting(id, "ups");
        if (ups.isEmpty() || !NutClient.isValidUpsName(ups.get())) {
            return Finding.problem("upsd for " + id, LocalChecks.propertyFor(id, "ups") + (ups.isEmpty() ? " is not set" : " is not a NUT UPS name"),
                    "set " + LocalChecks.propertyFor(id, "ups") + "=<the UPS's name in upsd> (`upsc -l` lists them)");
        }
        String host = settings.setting(id, "host").orElse("localhost");
        int port;
        try {
            port = Integer.parseInt(settings.setting(id, "port").orElse(Integer.toString(NutClient.DEFAULT_PORT)).trim());
        } catch (NumberFormatException e) {
            return Finding.problem("upsd for " + id, LocalChecks.propertyFor(id, "port") + " is not a port number", "write e.g. 3493");
        }
        NutClient client = new NutClient(host, port, NETWORK_TIMEOUT);
        Optional<NutClient.Credentials> credentials = Optional.empty();
        Optional<String> username = settings.setting(id, "username");
        if (username.isPresent()) {
            try {
                Optional<String> file = settings.setting(id, "password-file");
                credentials = Optional.of(new NutClient.Credentials(username.get(),
                        file.isEmpty() ? "" : Files.readString(Path.of(file.get()), StandardCharsets.UTF_8).strip()));
            } catch (IOException e) {
                return Finding.problem("upsd for " + id, "the password file set in " + LocalChecks.propertyFor(id, "password-file")
                        + " cannot be read by " + user, "give " + user + " read access to it (and nobody else)");
            }
        }
        try {
            Map<String, String> variables = client.listVariables(ups.get(), credentials);
            return Finding.ok("upsd for " + id, "upsd at " + client.address() + " answers for UPS " + ups.get() + " (ups.status "
                    + variables.getOrDefault("ups.status", "not given") + ")" + upscNote());
        } catch (NutException e) {
            String where = "set in " + LocalChecks.propertyFor(id, "host") + " and " + LocalChecks.propertyFor(id, "port");
            return Finding.problem("upsd for " + id, "upsd at " + client.address() + ": " + e.getMessage() + " (" + where + ")",
                    switch (e.kind()) {
                        case UNREACHABLE, TIMEOUT -> "is the NUT server (upsd) running there and listening on that address (LISTEN in upsd.conf)?";
                        case UNKNOWN_UPS -> "`upsc -l " + client.address() + "` lists the UPS names upsd knows; set "
                                + LocalChecks.propertyFor(id, "ups") + " to one of them";
                        case ACCESS_DENIED -> "check the user in upsd.users and " + LocalChecks.propertyFor(id, "username");
                        case NO_DATA -> "is the UPS connected and its NUT driver running (`upsdrvctl start`)?";
                        default -> "see the NUT server's log";
                    });
        }
    }

    private String upscNote() {
        try {
            return ToolVersion.of("upsc", "upsc").map(version -> "; " + version + " installed").orElse("; upsc not installed (not needed: "
                    + "the agent talks to upsd itself)");
        } catch (IOException e) {
            return "";
        }
    }

    private Finding folder(String item, String checkId, String key) {
        Optional<String> path = settings.setting(checkId, key);
        String property = LocalChecks.propertyFor(checkId, key);
        if (path.isEmpty()) {
            return Finding.problem(item, property + " is not set", "set " + property + "=<folder> in checks.properties");
        }
        return folderAt(item, Path.of(path.get()), property);
    }

    private Finding folderAt(String item, Path path, String property) {
        if (!Files.exists(path)) {
            return Finding.problem(item, path + " does not exist (set in " + property + ")",
                    "is the drive or share connected and mounted? else correct " + property);
        }
        if (!Files.isDirectory(path)) {
            return Finding.problem(item, path + " is a file, not a folder (set in " + property + ")",
                    "set " + property + " to the folder that holds the backups");
        }
        try (Stream<Path> entries = Files.list(path)) {
            long count = entries.count();
            return Finding.ok(item, path + " is a folder " + user + " can read (" + count + (count == 1 ? " entry)" : " entries)"));
        } catch (IOException | RuntimeException e) {
            return Finding.problem(item, path + " cannot be read by " + user + " (" + e.getClass().getSimpleName() + ")",
                    "give " + user + " read access, e.g. `setfacl -R -m u:" + user + ":rX " + path + "` or add it to the folder's group");
        }
    }

    private Finding secretFile(String item, String checkId, String key, boolean required) {
        String property = LocalChecks.propertyFor(checkId, key);
        Optional<String> file = settings.setting(checkId, key);
        if (file.isEmpty()) {
            return required ? Finding.problem(item, property + " is not set", "set " + property + "=<file holding the password> in checks.properties")
                    : Finding.ok(item, "none set");
        }
        Path path = Path.of(file.get());
        if (!Files.isRegularFile(path)) {
            return Finding.problem(item, "the file set in " + property + " does not exist or is not a file", "correct " + property);
        }
        if (!Files.isReadable(path)) {
            return Finding.problem(item, "the file set in " + property + " cannot be read by " + user,
                    "give " + user + " read access to it (and nobody else: `chown " + user + " <file>; chmod 600 <file>`)");
        }
        // the content is a secret: only that it is there
        return Finding.ok(item, "the file set in " + property + " is readable by " + user);
    }

    private Finding tcp(String item, String hostPort, int defaultPort, String property) {
        String text = hostPort.strip();
        String host = text;
        String portText = "";
        if (text.startsWith("[") && text.contains("]")) {
            host = text.substring(1, text.indexOf(']'));
            String rest = text.substring(text.indexOf(']') + 1);
            portText = rest.startsWith(":") ? rest.substring(1) : rest;
        } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
            host = text.substring(0, text.indexOf(':'));
            portText = text.substring(text.indexOf(':') + 1);
        }
        int port = defaultPort;
        try {
            if (!portText.isEmpty()) {
                port = Integer.parseInt(portText);
            }
        } catch (NumberFormatException e) {
            return Finding.problem(item, property + " is not host:port", "write e.g. db2.practice.lan:5432");
        }
        String address = host + ":" + port;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) NETWORK_TIMEOUT.toMillis());
            return Finding.ok(item, address + " takes TCP connections");
        } catch (IOException e) {
            return Finding.problem(item, "no TCP connection to " + address + " (set in " + property + "): " + e.getMessage(),
                    "is the database server running there and listening on that address (listen_addresses, pg_hba.conf), "
                            + "and does no firewall block it?");
        }
    }

    private void need(String tool, String executable, String checkId) {
        tools.computeIfAbsent(executable, e -> new Need(tool, new TreeSet<>())).checks().add(checkId);
    }

    private static Finding tool(String tool, String executable, TreeSet<String> checks) {
        String forChecks = "for " + String.join(", ", checks);
        try {
            Optional<String> version = ToolVersion.of(tool, executable);
            if (version.isEmpty()) {
                return Finding.problem("tool " + tool, executable + " is not installed (or not on the agent's PATH), needed " + forChecks,
                        "install it (e.g. `apt install " + packageOf(tool) + "`), or set check.<id>.executable (restic, borg) or "
                                + "check.<id>.psql / check.<id>.pg-restore to its path in checks.properties");
            }
            return Finding.ok("tool " + tool, version.get() + " (" + executable + "), " + forChecks);
        } catch (IOException e) {
            return Finding.problem("tool " + tool, e.getMessage() + ", needed " + forChecks, "reinstall it");
        }
    }

    private static String packageOf(String tool) {
        return switch (tool) {
            case "psql", "pg_restore" -> "postgresql-client";
            case "borg" -> "borgbackup";
            default -> tool;
        };
    }
}
