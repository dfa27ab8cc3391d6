package io.rampart.agent.config;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;

import io.rampart.agent.identity.AgentCertificate;
import io.rampart.protocol.agent.v1.AgentConfiguration;

/**
 * The agent's data directory: its identity ({@code agent.properties}, and {@code agent.key} (owner-only),
 * {@code agent.crt}, {@code ca.crt}), the local check
 * bindings ({@code checks.properties}), the {@code outbox/} and what it remembers ({@code state.properties}).
 */
public final class AgentHome {

    public static final Path DEFAULT_DIRECTORY = Path.of("/var/lib/rampart-agent");
    public static final String HOME_VARIABLE = "RAMPART_AGENT_HOME";

    private static final String SERVER = "server";
    private static final String AGENT_ID = "agent.id";
    private static final String PRACTICE_ID = "practice.id";
    private static final String PRACTICE_NAME = "practice.name";
    /** The configuration as protobuf JSON, as agents before 2026-12 stored it: still read, never written. */
    private static final String CONFIGURATION_JSON = "configuration";
    /**
     * The configuration as its protobuf wire bytes in base64. Not JSON: printing protobuf JSON builds a Gson and loads
     * about 200 classes (protobuf-java-util, gson's adapters) that would then stay in the idle agent's memory.
     */
    private static final String CONFIGURATION = "configuration.binary";
    private static final String CONFIGURATION_VERSION = "configuration.version";
    private static final String LAST_DELIVERY_AT = "delivery.last-success-at";

    private final Path directory;

    private AgentHome(Path directory) {
        this.directory = directory.toAbsolutePath();
    }

    public static AgentHome at(Path directory) {
        return new AgentHome(directory);
    }

    /** The home a command uses when not told: $RAMPART_AGENT_HOME, else /var/lib/rampart-agent. */
    public static AgentHome fromEnvironment(Map<String, String> environment) {
        String fromEnvironment = environment.get(HOME_VARIABLE);
        return at(fromEnvironment == null || fromEnvironment.isBlank() ? DEFAULT_DIRECTORY : Path.of(fromEnvironment));
    }

    public Path directory() {
        return directory;
    }

    public Path identityFile() {
        return directory.resolve("agent.properties");
    }

    /** The agent's private key (owner-only); it never leaves this computer. */
    public Path privateKeyFile() {
        return directory.resolve("agent.key");
    }

    /** The client certificate the control plane's CA signed for this agent. */
    public Path certificateFile() {
        return directory.resolve("agent.crt");
    }

    /** The control plane's CA: the only one this agent trusts to be its control plane. */
    public Path caFile() {
        return directory.resolve("ca.crt");
    }

    public AgentCertificate certificate() {
        return AgentCertificate.load(privateKeyFile(), certificateFile(), caFile());
    }

    public void writeCertificate(PrivateKey key, X509Certificate certificate, List<X509Certificate> ca) {
        AgentCertificate.store(privateKeyFile(), certificateFile(), caFile(), key, certificate, ca);
    }

    /** Secrets the control plane sent sealed to this agent, opened into owner-only files (see CentralSources). */
    public Path sealedSecretsDirectory() {
        return directory.resolve("sealed-secrets");
    }

    /** Private keys of certificates renewed away, named &lt;key id&gt;.pem: secrets sealed to them still open. */
    public Path retiredKeysDirectory() {
        return directory.resolve("retired-keys");
    }

    public Path checksFile() {
        return directory.resolve("checks.properties");
    }

    public Path outboxDirectory() {
        return directory.resolve("outbox");
    }

    /** What the running agent is checking now, for the status command (see schedule.RunningChecks). */
    public Path runningChecksFile() {
        return directory.resolve("running-checks.properties");
    }

    public Path stateFile() {
        return directory.resolve("state.properties");
    }

    public Optional<EnrolledIdentity> readIdentity() {
        if (!Files.exists(identityFile())) {
            return Optional.empty();
        }
        Properties p = load(identityFile());
        return Optional.of(new EnrolledIdentity(URI.create(required(p, SERVER)), required(p, AGENT_ID),
                required(p, PRACTICE_ID), p.getProperty(PRACTICE_NAME, "")));
    }

    public void writeIdentity(EnrolledIdentity identity) {
        Properties p = new Properties();
        p.setProperty(SERVER, identity.server().toString());
        p.setProperty(AGENT_ID, identity.agentId());
        p.setProperty(PRACTICE_ID, identity.practiceId());
        p.setProperty(PRACTICE_NAME, identity.practiceName());
        store(identityFile(), p, "Rampart agent identity (its proof is agent.key and agent.crt)", false);
    }

    /** Re-read on every use so a changed binding takes effect without a restart. */
    public LocalChecks localChecks() {
        return LocalChecks.read(checksFile());
    }

    public AgentState readState() {
        if (!Files.exists(stateFile())) {
            return AgentState.initial();
        }
        Properties p = load(stateFile());
        DesiredConfiguration configuration = readConfiguration(p);
        String lastDelivery = p.getProperty(LAST_DELIVERY_AT);
        return new AgentState(configuration,
                lastDelivery == null || lastDelivery.isBlank() ? Optional.empty() : Optional.of(Instant.parse(lastDelivery)));
    }

    /**
     * The stored configuration: the base64 wire bytes, else (a state written by an older agent) the protobuf JSON; the
     * defaults when there is none or it is damaged, which only costs them until the next GetConfiguration.
     */
    private static DesiredConfiguration readConfiguration(Properties p) {
        String binary = p.getProperty(CONFIGURATION);
        String json = p.getProperty(CONFIGURATION_JSON);
        try {
            if (binary != null && !binary.isBlank()) {
                return new DesiredConfiguration(AgentConfiguration.parseFrom(Base64.getDecoder().decode(binary.strip())));
            }
            if (json != null && !json.isBlank()) {
                AgentConfiguration.Builder builder = AgentConfiguration.newBuilder();
                JsonFormat.parser().ignoringUnknownFields().merge(sourcesAsEntries(json), builder);
                return new DesiredConfiguration(builder.build());
            }
        } catch (InvalidProtocolBufferException | IllegalArgumentException | JsonParseException e) {
            // damaged (IllegalArgumentException: not base64): the defaults, as for no copy at all
        }
        return DesiredConfiguration.defaults();
    }

    /**
     * The JSON an older agent stored, with each check's {@code sources} as the list of key/value entries the field now
     * is (agent_service.proto): it was a map, which protobuf's JSON writes as an object. Throws JsonParseException
     * when the text is not JSON.
     */
    private static String sourcesAsEntries(String json) {
        JsonElement root = JsonParser.parseString(json);
        if (root.isJsonObject() && root.getAsJsonObject().get("checks") instanceof JsonArray checks) {
            for (JsonElement check : checks) {
                if (check.isJsonObject() && check.getAsJsonObject().get("sources") instanceof JsonObject map) {
                    JsonArray entries = new JsonArray();
                    for (Map.Entry<String, JsonElement> source : map.entrySet()) {
                        JsonObject entry = new JsonObject();
                        entry.addProperty("key", source.getKey());
                        entry.add("value", source.getValue());
                        entries.add(entry);
                    }
                    check.getAsJsonObject().add("sources", entries);
                }
            }
        }
        return root.toString();
    }

    public void writeState(AgentState state) {
        Properties p = new Properties();
        p.setProperty(CONFIGURATION_VERSION, Long.toString(state.configuration().version()));
        p.setProperty(CONFIGURATION, Base64.getEncoder().encodeToString(state.configuration().proto().toByteArray()));
        state.lastDeliveryAt().ifPresent(at -> p.setProperty(LAST_DELIVERY_AT, at.toString()));
        store(stateFile(), p, "Rampart agent state: rewritten by the agent", false);
    }

    private static String required(Properties p, String key) {
        String value = p.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("agent.properties has no " + key + ": enrol the agent again");
        }
        return value.trim();
    }

    private static Properties load(Path file) {
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return p;
    }

    private static void store(Path file, Properties p, String comment, boolean ownerOnly) {
        try {
            StringWriter text = new StringWriter();
            p.store(text, comment);
            AtomicFile.write(file, text.toString().getBytes(StandardCharsets.UTF_8), ownerOnly);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
