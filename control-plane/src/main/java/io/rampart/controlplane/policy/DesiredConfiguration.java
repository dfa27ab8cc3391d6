package io.rampart.controlplane.policy;

import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.google.protobuf.Duration;

import io.rampart.controlplane.RampartConfig;
import io.rampart.protocol.agent.v1.AgentConfiguration;
import io.rampart.protocol.agent.v1.BackupFolderSettings;
import io.rampart.protocol.agent.v1.CheckDefinition.Builder;
import io.rampart.protocol.agent.v1.CheckKind;

/** What an agent should check: its group's check definitions, as the agent's configuration. */
@ApplicationScoped
public class DesiredConfiguration {

    static final Duration HEARTBEAT_INTERVAL = Duration.newBuilder().setSeconds(60).build();

    @Inject
    RampartConfig config;

    public AgentConfiguration forGroup(UUID groupId) {
        List<CheckDefinition> definitions = CheckDefinition.list("groupId = ?1 order by checkId", groupId);
        AgentConfiguration.Builder configuration = AgentConfiguration.newBuilder()
                .setHeartbeatInterval(HEARTBEAT_INTERVAL)
                .setMaxBatchSize(config.agents().maxBatchSize());
        for (CheckDefinition definition : definitions) {
            configuration.addChecks(toProto(definition));
        }
        AgentConfiguration withoutVersion = configuration.build();
        // The version changes exactly when the content does, so agents can tell a new configuration.
        CRC32 checksum = new CRC32();
        checksum.update(withoutVersion.toByteArray());
        return withoutVersion.toBuilder().setVersion(checksum.getValue()).build();
    }

    private static io.rampart.protocol.agent.v1.CheckDefinition toProto(CheckDefinition definition) {
        Builder check = io.rampart.protocol.agent.v1.CheckDefinition.newBuilder()
                .setCheckId(definition.checkId)
                .setKind(CheckKind.valueOf("CHECK_KIND_" + definition.kind))
                .setInterval(Duration.newBuilder().setSeconds(definition.intervalSeconds));
        if (check.getKind() == CheckKind.CHECK_KIND_BACKUP_FOLDER) {
            BackupFolderSettings.Builder settings = BackupFolderSettings.newBuilder();
            if (definition.maxAgeSeconds != null) {
                settings.setMaxAge(Duration.newBuilder().setSeconds(definition.maxAgeSeconds));
            }
            if (definition.minSizeBytes != null) {
                settings.setMinSizeBytes(definition.minSizeBytes);
            }
            check.setBackupFolder(settings);
        }
        return check.build();
    }
}
