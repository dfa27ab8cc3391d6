package io.rampart.agent.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.rampart.protocol.CheckSources;
import io.rampart.protocol.agent.v1.AgentConfiguration;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.SealedSecret;
import io.rampart.protocol.identity.Pem;

/**
 * The settings the control plane sets for the practice's checks (CheckDefinition.sources), plus the checks' sealed
 * secrets opened with this agent's key into owner-only files ({@code <home>/sealed-secrets/<check id>.<name>}), each
 * a check's {@code password-file}. checks.properties still wins over all of it (LocalChecks#over). A secret sealed to
 * a key this agent does not hold (it was sealed before the agent enrolled) is a problem, in words, not a failure.
 */
public final class CentralSources {

    /** What the control plane's settings come to here, and what could not be used, as sentences. */
    public record Applied(Map<String, Map<String, String>> settings, List<String> problems) {
        public static final Applied NONE = new Applied(Map.of(), List.of());
    }

    private CentralSources() {
    }

    /**
     * Where each check's things are for a person's command ({@code check}, {@code doctor}): checks.properties over this
     * configuration's central sources, with the sealed secrets the running service has already opened (its files in
     * {@code <home>/sealed-secrets/}). Writes and removes nothing: the service owns those files, and a command run
     * beside it must never replace or delete a secret the service just opened from a newer configuration.
     */
    public static LocalChecks settings(AgentConfiguration configuration, AgentHome home) {
        Map<String, Map<String, String>> settings = new TreeMap<>();
        for (CheckDefinition check : configuration.getChecksList()) {
            if (check.getSourcesCount() > 0) {
                settings.computeIfAbsent(check.getCheckId(), id -> new TreeMap<>()).putAll(CheckSources.of(check));
            }
            for (SealedSecret sealed : check.getSealedSecretsList()) {
                Path file = home.sealedSecretsDirectory().resolve(check.getCheckId() + "." + sealed.getName());
                if ("password".equals(sealed.getName()) && Files.isRegularFile(file)) {
                    settings.computeIfAbsent(check.getCheckId(), id -> new TreeMap<>()).put("password-file", file.toString());
                }
            }
        }
        return home.localChecks().over(settings);
    }

    /** Opens this configuration's secrets (replacing changed files, removing those no longer sent) and returns the settings. */
    public static Applied apply(AgentConfiguration configuration, AgentHome home) {
        Map<String, Map<String, String>> settings = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        Map<String, PrivateKey> keys = null;
        Set<Path> kept = new HashSet<>();
        for (CheckDefinition check : configuration.getChecksList()) {
            if (check.getSourcesCount() > 0) {
                settings.computeIfAbsent(check.getCheckId(), id -> new TreeMap<>()).putAll(CheckSources.of(check));
            }
            for (SealedSecret sealed : check.getSealedSecretsList()) {
                if (!"password".equals(sealed.getName()) || !check.getCheckId().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
                    problems.add("check " + check.getCheckId() + ": this agent does not know the sealed secret " + sealed.getName() + "; update the agent");
                    continue;
                }
                if (keys == null) {
                    keys = keys(home);
                }
                PrivateKey key = keys.get(sealed.getKeyId());
                if (key == null) {
                    problems.add("check " + check.getCheckId() + ": its " + sealed.getName() + " was sealed to a key this agent does not hold;"
                            + " enter it again in the web UI (Sources) to seal it for this agent");
                    continue;
                }
                Path file = home.sealedSecretsDirectory().resolve(check.getCheckId() + "." + sealed.getName());
                try {
                    byte[] secret = SealedSecrets.open(sealed, check.getCheckId(), key);
                    write(file, secret);
                    kept.add(file);
                    settings.computeIfAbsent(check.getCheckId(), id -> new TreeMap<>()).put("password-file", file.toString());
                } catch (GeneralSecurityException e) {
                    problems.add("check " + check.getCheckId() + ": its sealed " + sealed.getName() + " does not open with this agent's key ("
                            + e.getMessage() + "); enter it again in the web UI (Sources)");
                } catch (IOException e) {
                    problems.add("check " + check.getCheckId() + ": cannot write " + file + ": " + e.getMessage());
                }
            }
        }
        removeAllBut(home.sealedSecretsDirectory(), kept);
        return new Applied(settings, problems);
    }

    /** This agent's private keys by key id: the current one and those retired at renewals. */
    static Map<String, PrivateKey> keys(AgentHome home) {
        Map<String, PrivateKey> keys = new HashMap<>();
        try {
            X509Certificate certificate = Pem.readCertificates(home.certificateFile()).get(0);
            keys.put(SealedSecrets.keyId(certificate.getPublicKey().getEncoded()), Pem.readPrivateKey(home.privateKeyFile()));
        } catch (RuntimeException e) {
            // not enrolled: nothing opens
        }
        Path retired = home.retiredKeysDirectory();
        if (Files.isDirectory(retired)) {
            try (Stream<Path> files = Files.list(retired)) {
                files.filter(f -> f.getFileName().toString().endsWith(".pem")).forEach(f -> {
                    try {
                        keys.putIfAbsent(f.getFileName().toString().replace(".pem", ""), Pem.readPrivateKey(f));
                    } catch (RuntimeException unreadable) {
                        // a damaged retired key only means its secrets must be entered again
                    }
                });
            } catch (IOException e) {
                // as above
            }
        }
        return keys;
    }

    /** Keeps the current key before a renewal replaces it, so secrets sealed to it still open. */
    public static void retire(AgentHome home, X509Certificate current, PrivateKey key) throws IOException {
        Path retired = home.retiredKeysDirectory();
        ownerOnlyDirectory(retired);
        AtomicFile.write(retired.resolve(SealedSecrets.keyId(current.getPublicKey().getEncoded()) + ".pem"),
                Pem.privateKey(key).getBytes(java.nio.charset.StandardCharsets.US_ASCII), true);
    }

    private static void write(Path file, byte[] secret) throws IOException {
        ownerOnlyDirectory(file.getParent());
        if (Files.exists(file) && Arrays.equals(Files.readAllBytes(file), secret)) {
            return;
        }
        AtomicFile.write(file, secret, true);
    }

    private static void ownerOnlyDirectory(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory);
            try {
                Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException windows) {
                // the agent's home is already restricted to the service account there
            }
        }
    }

    private static void removeAllBut(Path directory, Set<Path> kept) {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                if (!kept.contains(file)) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            // left for the next configuration
        }
    }
}
