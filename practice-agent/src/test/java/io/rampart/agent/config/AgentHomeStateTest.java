package io.rampart.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rampart.protocol.CheckSources;
import io.rampart.protocol.agent.v1.AgentConfiguration;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;

class AgentHomeStateTest {

    private static final AgentConfiguration CONFIGURATION = AgentConfiguration.newBuilder().setVersion(7).setMaxBatchSize(250)
            .addChecks(CheckDefinition.newBuilder().setCheckId("nas-copy").setKind(CheckKind.CHECK_KIND_BACKUP_FOLDER)
                    .addSources(CheckSources.of("path", "/mnt/nas/backups")))
            .build();

    @TempDir
    Path directory;

    @Test
    void keepsTheConfigurationAndLastDeliveryAcrossARestart() {
        AgentHome home = AgentHome.at(directory);
        Instant delivered = Instant.parse("2026-12-01T00:30:00Z");

        home.writeState(AgentState.initial().withConfiguration(new DesiredConfiguration(CONFIGURATION)).withLastDeliveryAt(delivered));

        AgentState read = AgentHome.at(directory).readState();
        assertThat(read.configuration().proto()).isEqualTo(CONFIGURATION);
        assertThat(read.lastDeliveryAt()).contains(delivered);
    }

    @Test
    void readsTheJsonConfigurationAnOlderAgentStored() throws IOException {
        // state.properties as agents before the binary form wrote it (protobuf JSON, properties-escaped)
        Files.writeString(directory.resolve("state.properties"), """
                configuration.version=7
                configuration={"version"\\:"7","checks"\\:[{"checkId"\\:"nas-copy","kind"\\:"CHECK_KIND_BACKUP_FOLDER",\
                "sources"\\:{"path"\\:"/mnt/nas/backups"}}],"maxBatchSize"\\:250}
                """, StandardCharsets.UTF_8);

        assertThat(AgentHome.at(directory).readState().configuration().proto()).isEqualTo(CONFIGURATION);
    }

    @Test
    void fallsBackToTheDefaultsWhenTheStoredConfigurationIsDamaged() throws IOException {
        Files.writeString(directory.resolve("state.properties"), "configuration.binary=not base64 at all!\n", StandardCharsets.UTF_8);

        assertThat(AgentHome.at(directory).readState().configuration()).isEqualTo(DesiredConfiguration.defaults());
    }

    @Test
    void fallsBackToTheDefaultsWhenTheJsonAnOlderAgentStoredIsDamaged() throws IOException {
        Files.writeString(directory.resolve("state.properties"), "configuration={\"version\"\\:\"7\",\"checks\"\\:[{\n",
                StandardCharsets.UTF_8);

        assertThat(AgentHome.at(directory).readState().configuration()).isEqualTo(DesiredConfiguration.defaults());
    }
}
