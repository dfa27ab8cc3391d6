package io.rampart.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.protobuf.ByteString;

import io.rampart.protocol.CheckSources;
import io.rampart.protocol.agent.v1.AgentConfiguration;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.SealedSecret;

/** What `rampart-agent check` and `doctor` see of the central sources: the service's opened secrets, and nothing changed. */
class CentralSourcesForCommandsTest {

    @TempDir
    Path directory;

    @Test
    void aPersonsCommandUsesTheSecretsTheServiceOpenedAndNeverWritesOrRemovesAny() throws Exception {
        AgentHome home = AgentHome.at(directory);
        Files.createDirectories(home.sealedSecretsDirectory());
        Path opened = Files.writeString(home.sealedSecretsDirectory().resolve("cloud-copy.password"), "opened by the service");
        // a secret of a newer configuration the command has not read yet: it must survive the command
        Path newer = Files.writeString(home.sealedSecretsDirectory().resolve("offsite-copy.password"), "from a newer configuration");
        Files.writeString(home.checksFile(), "check.nas-copy.path=/srv/local-nas\n");
        AgentConfiguration configuration = AgentConfiguration.newBuilder()
                .addChecks(CheckDefinition.newBuilder().setCheckId("cloud-copy").setKind(CheckKind.CHECK_KIND_RESTIC_REPOSITORY)
                        .addSources(CheckSources.of("repository", "/srv/restic"))
                        .addSealedSecrets(SealedSecret.newBuilder().setName("password").setKeyId("k")
                                .setCiphertext(ByteString.copyFromUtf8("not for this command"))))
                .addChecks(CheckDefinition.newBuilder().setCheckId("nas-copy").setKind(CheckKind.CHECK_KIND_BACKUP_FOLDER)
                        .addSources(CheckSources.of("path", "/srv/central-nas")))
                .build();

        LocalChecks settings = CentralSources.settings(configuration, home);

        assertThat(settings.setting("cloud-copy", "repository")).contains("/srv/restic");
        assertThat(settings.setting("cloud-copy", "password-file")).contains(opened.toString());
        assertThat(settings.folderFor("nas-copy")).as("checks.properties wins").contains(Path.of("/srv/local-nas"));
        assertThat(Files.readString(opened)).isEqualTo("opened by the service");
        assertThat(newer).exists();
    }
}
