package io.rampart.agent.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.rampart.agent.cli.JvmOptions;

/**
 * The footprint benchmark measures the agent as the installers run it: both installers and the benchmark take the
 * JVM options from the one place, the agent's {@link JvmOptions}.
 */
class AgentJvmOptionsTest {

    private static final Path INSTALL_SH = Path.of("../control-plane/src/main/resources/installer/install.sh");
    private static final Path INSTALL_PS1 = Path.of("../control-plane/src/main/resources/installer/install.ps1");

    @Test
    void measuresWithTheJvmOptionsTheLinuxInstallersWrapperRunsTheAgentWith() throws IOException {
        String installer = Files.readString(INSTALL_SH);
        String wrapperLine = Files.readAllLines(INSTALL_SH).stream().filter(line -> line.startsWith("exec \"$JAVA\" ")).findFirst().orElseThrow();

        assertThat(installer).contains("JVM_OPTIONS=$(\"$JAVA\" -Xshare:auto -cp \"$JAR\" io.rampart.agent.cli.JvmOptions linux)");
        assertThat(wrapperLine).isEqualTo("exec \"$JAVA\" $JVM_OPTIONS \\$CDS -jar \"$JAR\" \"\\$@\"");
        assertThat(AgentJvmOptions.AGENT_JVM_OPTIONS).isEqualTo(List.of(JvmOptions.LINUX.split(" ")))
                .contains("-Xmx32m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:CompileThresholdScaling=10",
                        "-Djavax.net.ssl.trustStore=NONE");
    }

    @Test
    void theWindowsServiceAndItsCommandLineRunWithTheWindowsOptionsOfTheSameJar() throws IOException {
        String installer = Files.readString(INSTALL_PS1);

        assertThat(installer).contains("$jvmOptions = ([string](& $java.Source -cp $Jar io.rampart.agent.cli.JvmOptions windows)).Trim()",
                "\"$($java.Source)\" $jvmOptions -jar \"$Jar\" %*", "<arguments>$jvmOptions -jar \"$Jar\" run --home \"$AgentHome\"</arguments>");
        assertThat(installer).doesNotContain("-Xmx");
        assertThat(JvmOptions.WINDOWS).startsWith(JvmOptions.COMMON).doesNotContain("TieredStopAtLevel", "CompileThresholdScaling",
                "TrimNativeHeapInterval");
    }

    @Test
    void usesTheClassDataSharingArchiveTheWrapperKeepsInTheAgentsHome() throws IOException {
        String installer = Files.readString(INSTALL_SH);

        assertThat(installer).contains("ARCHIVE=\"\\$RAMPART_AGENT_HOME/" + AgentJvmOptions.ARCHIVE + "\"",
                "CLASSES=\"\\$RAMPART_AGENT_HOME/" + AgentJvmOptions.CLASS_LIST + "\"", "CDS=\"-XX:DumpLoadedClassList=\\$CLASSES\"",
                "$JVM_OPTIONS -Xshare:dump -XX:SharedClassListFile=\"\\$CLASSES\" -XX:SharedArchiveFile=\"\\$ARCHIVE\"",
                "CDS=\"-XX:SharedArchiveFile=\\$ARCHIVE -Xshare:auto\"", "rm -f \"$STATE_DIR/" + AgentJvmOptions.CLASS_LIST + "\"")
                .doesNotContain("ArchiveClassesAtExit");
        assertThat(AgentJvmOptions.linuxService(Path.of("/var/lib/rampart-agent")))
                .endsWith("-XX:SharedArchiveFile=/var/lib/rampart-agent/rampart-agent.jsa", "-Xshare:auto");
    }

    @Test
    void archivesOnlyAListThatGotAsFarAsAClassTheAgentStillHas() throws IOException, ClassNotFoundException {
        Matcher marker = Pattern.compile("grep -Eq '\\^([a-z/]+/[A-Za-z]+)\\( \\|\\\\\\$\\)' \"\\\\\\$CLASSES\"").matcher(Files.readString(INSTALL_SH));

        assertThat(marker.find()).as("install.sh's wrapper checks the list for a class of a run that got as far as its first checks").isTrue();
        // renaming the class would leave every list unarchived: the wrapper must name one the agent has
        assertThat(Class.forName(marker.group(1).replace('/', '.'))).isNotNull();
    }
}
