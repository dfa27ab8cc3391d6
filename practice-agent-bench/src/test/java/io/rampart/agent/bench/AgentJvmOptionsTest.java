package io.rampart.agent.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The footprint benchmark measures the agent as the Linux installer's wrapper runs it, not with options of its own. */
class AgentJvmOptionsTest {

    private static final Path INSTALL_SH = Path.of("../control-plane/src/main/resources/installer/install.sh");

    @Test
    void measuresWithTheJvmOptionsTheLinuxInstallersWrapperRunsTheAgentWith() throws IOException {
        String wrapperLine = Files.readAllLines(INSTALL_SH).stream().filter(line -> line.startsWith("exec \"$JAVA\" ")).findFirst().orElseThrow();
        String options = wrapperLine.substring("exec \"$JAVA\" ".length(), wrapperLine.indexOf(" \\$CDS -jar"));

        assertThat(List.of(options.split(" "))).as("install.sh's wrapper: %s", wrapperLine).isEqualTo(AgentJvmOptions.AGENT_JVM_OPTIONS);
    }

    @Test
    void usesTheClassDataSharingArchiveTheWrapperKeepsInTheAgentsHome() throws IOException {
        String installer = Files.readString(INSTALL_SH);

        assertThat(installer).contains("ARCHIVE=\"\\$RAMPART_AGENT_HOME/" + AgentJvmOptions.ARCHIVE + "\"",
                "CDS=\"-XX:SharedArchiveFile=\\$ARCHIVE -Xshare:auto\"", "-XX:ArchiveClassesAtExit=\\$ARCHIVE");
        assertThat(AgentJvmOptions.linuxService(Path.of("/var/lib/rampart-agent")))
                .endsWith("-XX:SharedArchiveFile=/var/lib/rampart-agent/rampart-agent.jsa", "-Xshare:auto");
    }
}
