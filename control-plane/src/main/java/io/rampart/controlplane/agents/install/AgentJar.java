package io.rampart.controlplane.agents.install;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.rampart.controlplane.RampartConfig;

/**
 * The agent's runnable jar that installers download: {@code rampart.agents.agent-jar}, else
 * {@code practice-agent/target/rampart-agent.jar} from the repository root or a module folder.
 * Its SHA-256 is computed once per version of the file.
 */
@ApplicationScoped
public class AgentJar {

    private static final List<Path> BESIDE_THE_BUILD = List.of(Path.of("practice-agent/target/rampart-agent.jar"),
            Path.of("../practice-agent/target/rampart-agent.jar"));

    @Inject
    RampartConfig config;

    private record Digest(Path file, long size, FileTime modified, String sha256) {
    }

    private volatile Digest digest;

    /** The jar, if it is there. */
    public Optional<Path> file() {
        Optional<Path> configured = config.agents().agentJar();
        if (configured.isPresent()) {
            return configured.filter(Files::isRegularFile);
        }
        return BESIDE_THE_BUILD.stream().filter(Files::isRegularFile).findFirst();
    }

    /** Where the jar was looked for, for the error a missing jar answers with. */
    public String whereLooked() {
        return config.agents().agentJar().map(path -> path.toAbsolutePath() + " (rampart.agents.agent-jar)")
                .orElse(BESIDE_THE_BUILD.get(0).toAbsolutePath() + " (set rampart.agents.agent-jar to serve another)");
    }

    /** Lower-case hex SHA-256 of the jar's current content. */
    public String sha256(Path jar) {
        try {
            long size = Files.size(jar);
            FileTime modified = Files.getLastModifiedTime(jar);
            Digest known = digest;
            if (known != null && known.file().equals(jar) && known.size() == size && known.modified().equals(modified)) {
                return known.sha256();
            }
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(Files.newInputStream(jar), sha)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            String hex = HexFormat.of().formatHex(sha.digest());
            digest = new Digest(jar, size, modified, hex);
            return hex;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the agent jar " + jar, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
