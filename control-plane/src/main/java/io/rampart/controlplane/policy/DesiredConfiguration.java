package io.rampart.controlplane.policy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.zip.CRC32;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.google.protobuf.Duration;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;

import io.rampart.controlplane.RampartConfig;
import io.rampart.controlplane.policy.document.PolicyDocument;
import io.rampart.controlplane.policy.group.GroupPolicies;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.protocol.agent.v1.AgentConfiguration;
import io.rampart.protocol.agent.v1.CheckKind;

/**
 * What an agent should check: its group's check definitions, merged with its practice's own, with the thresholds of the group's
 * policy (PolicyCheckSettings), as the agent's configuration. A policy change changes it, and its
 * version, so every agent of the group picks it up at its next fetch.
 */
@ApplicationScoped
public class DesiredConfiguration {

    static final Duration HEARTBEAT_INTERVAL = Duration.newBuilder().setSeconds(60).build();

    /** The field of CheckDefinition's `settings` oneof that holds each kind's settings. */
    static final Map<CheckKind, String> SETTINGS_FIELD = Map.of(
            CheckKind.CHECK_KIND_BACKUP_FOLDER, "backup_folder",
            CheckKind.CHECK_KIND_RESTIC_REPOSITORY, "repository",
            CheckKind.CHECK_KIND_BORG_REPOSITORY, "repository",
            CheckKind.CHECK_KIND_DATABASE_SYNC, "database_sync",
            CheckKind.CHECK_KIND_UPS, "ups",
            CheckKind.CHECK_KIND_USB_ROTATION, "usb_rotation",
            CheckKind.CHECK_KIND_REPORTED_JOB, "reported_job",
            CheckKind.CHECK_KIND_RESTORE_TEST, "restore_test");

    @Inject
    RampartConfig config;
    @Inject
    GroupPolicies policies;
    @Inject
    ConfiguredChecks configuredChecks;
    @Inject
    Instance<ChecksFedFromOutside> fedFromOutside;

    /**
     * The configuration of the agents of one practice: its group's checks merged with the practice's own
     * (ConfiguredChecks: a practice's row replaces or removes the group's check of the same id, or adds one), as the
     * group's policy wants them.
     *
     * @throws IllegalArgumentException when no practice has this id
     */
    @Transactional
    public AgentConfiguration forPractice(UUID practiceId) {
        Practice practice = Practice.findById(practiceId);
        if (practice == null) {
            throw new IllegalArgumentException("no practice " + practiceId);
        }
        // a check with a live ping URL gets its results from the pings (/ping/<id>), not from the agents
        Set<String> pinged = new java.util.HashSet<>();
        fedFromOutside.forEach(feed -> pinged.addAll(feed.of(practiceId)));
        List<CheckDefinition> definitions = configuredChecks.of(practice).stream().map(ConfiguredChecks.Configured::definition)
                .filter(definition -> !("REPORTED_JOB".equals(definition.kind) && pinged.contains(definition.checkId))).toList();
        return configuration(definitions, policies.effective(practice.groupId).document(), config.agents().maxBatchSize());
    }

    /**
     * The agent's configuration from the checks it runs (sorted by id) and the group's policy; versioned by a
     * checksum of its content.
     */
    static AgentConfiguration configuration(List<CheckDefinition> definitions, PolicyDocument policy, int maxBatchSize) {
        AgentConfiguration.Builder configuration = AgentConfiguration.newBuilder()
                .setHeartbeatInterval(HEARTBEAT_INTERVAL)
                .setMaxBatchSize(maxBatchSize);
        for (CheckDefinition definition : definitions) {
            PolicyCheckSettings.apply(toProto(definition), policy).ifPresent(configuration::addChecks);
        }
        AgentConfiguration withoutVersion = configuration.build();
        // The version changes exactly when the content does, so agents can tell a new configuration.
        CRC32 checksum = new CRC32();
        checksum.update(withoutVersion.toByteArray());
        return withoutVersion.toBuilder().setVersion(checksum.getValue()).build();
    }

    /** The name of the field of CheckDefinition's {@code settings} oneof that holds this kind's settings. */
    public static String settingsField(CheckKind kind) {
        return SETTINGS_FIELD.get(kind);
    }

    /** A stored definition as the protocol's CheckDefinition; its settings JSON is parsed into the kind's message. */
    public static io.rampart.protocol.agent.v1.CheckDefinition toProto(CheckDefinition definition) {
        CheckKind kind = CheckKind.valueOf("CHECK_KIND_" + definition.kind);
        io.rampart.protocol.agent.v1.CheckDefinition.Builder check = io.rampart.protocol.agent.v1.CheckDefinition.newBuilder()
                .setCheckId(definition.checkId)
                .setKind(kind)
                .setInterval(Duration.newBuilder().setSeconds(definition.intervalSeconds));
        var field = io.rampart.protocol.agent.v1.CheckDefinition.getDescriptor().findFieldByName(SETTINGS_FIELD.get(kind));
        var settings = check.newBuilderForField(field);
        try {
            JsonFormat.parser().merge(definition.settings == null ? "{}" : definition.settings, settings);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("Check " + definition.checkId + " of group " + definition.groupId
                    + " has settings that do not fit its kind " + definition.kind + ": " + e.getMessage(), e);
        }
        return check.setField(field, settings.build()).build();
    }
}
