package io.rampart.controlplane.sources;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.zip.CRC32;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.google.protobuf.ByteString;

import io.rampart.controlplane.policy.DesiredConfiguration;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.protocol.CheckSources;
import io.rampart.protocol.agent.v1.AgentConfiguration;
import io.rampart.protocol.agent.v1.CheckDefinition;

/**
 * An agent's whole configuration: the practice's desired checks (DesiredConfiguration) with the practice's sources on
 * each check, and the secrets sealed for that agent. Computed once per practice ({@link #forPractice}, a handful of
 * queries) and then cut per agent in memory ({@link Snapshot#forAgent}), so a change reaches many agents for the
 * price of one computation.
 */
@ApplicationScoped
public class PracticeConfigurations {

    @Inject
    DesiredConfiguration desired;
    @Inject
    PracticeAgents practiceAgents;

    /** One practice's configuration at one moment, with its agents that are not revoked. */
    public record Snapshot(UUID practiceId, AgentConfiguration shared, Map<UUID, Map<String, List<io.rampart.protocol.agent.v1.SealedSecret>>> secrets,
            Set<UUID> liveAgents) {

        /** The configuration of one agent of the practice; its version changes exactly when its content does. */
        public AgentConfiguration forAgent(UUID agentId) {
            Map<String, List<io.rampart.protocol.agent.v1.SealedSecret>> mine = secrets.getOrDefault(agentId, Map.of());
            AgentConfiguration.Builder configuration = shared.toBuilder().clearVersion();
            if (!mine.isEmpty()) {
                for (CheckDefinition.Builder check : configuration.getChecksBuilderList()) {
                    check.addAllSealedSecrets(mine.getOrDefault(check.getCheckId(), List.of()));
                }
            }
            AgentConfiguration withoutVersion = configuration.build();
            CRC32 checksum = new CRC32();
            checksum.update(withoutVersion.toByteArray());
            return withoutVersion.toBuilder().setVersion(checksum.getValue()).build();
        }
    }

    /** The snapshot of a practice; empty when no practice has this id. */
    @Transactional
    public Optional<Snapshot> forPractice(UUID practiceId) {
        if (Practice.findById(practiceId) == null) {
            return Optional.empty();
        }
        AgentConfiguration base = desired.forPractice(practiceId);
        Map<String, Map<String, String>> sources = new HashMap<>();
        for (PracticeSource source : PracticeSource.<PracticeSource> list("practiceId", practiceId)) {
            sources.computeIfAbsent(source.checkId, id -> new TreeMap<>()).put(source.key, source.value);
        }
        AgentConfiguration.Builder shared = base.toBuilder();
        for (CheckDefinition.Builder check : shared.getChecksBuilderList()) {
            CheckSources.addAll(check, sources.getOrDefault(check.getCheckId(), Map.of()));
        }
        Set<UUID> live = practiceAgents.live(practiceId).stream().map(PracticeAgents.LiveAgent::id).collect(Collectors.toSet());
        Map<UUID, Map<String, List<io.rampart.protocol.agent.v1.SealedSecret>>> secrets = new HashMap<>();
        for (SealedSecret secret : SealedSecret.<SealedSecret> list("practiceId = ?1 order by checkId, name", practiceId)) {
            if (live.contains(secret.agentId)) {
                secrets.computeIfAbsent(secret.agentId, id -> new HashMap<>())
                        .computeIfAbsent(secret.checkId, id -> new java.util.ArrayList<>())
                        .add(io.rampart.protocol.agent.v1.SealedSecret.newBuilder()
                                .setName(secret.name)
                                .setKeyId(secret.keyId)
                                .setEncapsulatedKey(ByteString.copyFrom(secret.encapsulatedKey))
                                .setCiphertext(ByteString.copyFrom(secret.ciphertext))
                                .build());
            }
        }
        return Optional.of(new Snapshot(practiceId, shared.build(), secrets, live));
    }
}
