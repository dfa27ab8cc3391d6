package io.rampart.controlplane.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

import io.rampart.controlplane.RampartConfig;
import io.rampart.controlplane.agents.Enrolment;
import io.rampart.controlplane.agents.identity.AgentCaFiles;
import io.rampart.controlplane.tenancy.Practice;

/**
 * The demo of embedded mode: one provider, one group, three practices with real backup folders
 * under the data directory, and a real agent process per practice watching them. Each practice
 * shows a different situation; Harbour Street passes every rule, with every layer this machine has
 * the tools for set up for real (DemoLayers). Re-running keeps what is there and only refreshes last
 * night's backups.
 */
@ApplicationScoped
public class DemoFleet {

    private static final Logger LOG = Logger.getLogger(DemoFleet.class);
    /** A demo practice with an agent, and the state of its backups. */
    record DemoPractice(UUID id, String slug, String name, Scenario scenario) {
    }

    enum Scenario {
        /** every copy made last night, the image job reported success */
        HEALTHY,
        /** the USB drive was never swapped (attached for 12 days, newest copy three days old), and the image job failed */
        STALE_USB,
        /** last night's NAS copy is an empty file, and the imaging software never reports */
        EMPTY_NAS
    }

    static final List<DemoPractice> PRACTICES = List.of(
            new DemoPractice(DemoTenancy.HARBOUR_STREET, "harbour-street", "Harbour Street Surgery", Scenario.HEALTHY),
            new DemoPractice(DemoTenancy.RIVERSIDE, "riverside", "Riverside Family Practice", Scenario.STALE_USB),
            new DemoPractice(DemoTenancy.HILLTOP, "hilltop", "Hilltop Medical Centre", Scenario.EMPTY_NAS));

    @Inject
    RampartConfig config;
    @Inject
    Enrolment enrolment;
    @Inject
    DemoTenancy tenancy;
    @Inject
    DemoPeople people;
    @Inject
    DemoHistory history;
    @Inject
    Clock clock;
    @ConfigProperty(name = "quarkus.http.port")
    int httpPort;
    @ConfigProperty(name = "quarkus.grpc.server.port")
    int grpcPort;

    private final DemoAgents agents = new DemoAgents();
    private final DemoLayers layers = new DemoLayers();

    void onStart(@Observes @Priority(3000) StartupEvent event) {
        if (!config.embedded().demo().enabled()) {
            return;
        }
        long startedAt = System.nanoTime();
        Path demoDir = config.embedded().dataDir().resolve("demo");
        DemoTools tools = DemoTools.find();
        tools.missing().forEach(missing -> LOG.warnf("Demo: %s", missing));
        tenancy.seed(tools.layers());
        people.seedContacts();
        people.seedPlanReviews();
        history.seed(tools.layers());
        Thread starter = new Thread(() -> {
            try {
                for (DemoPractice practice : PRACTICES) {
                    Path home = demoDir.resolve(practice.slug());
                    String bindings = DemoFolders.writeBackups(home, practice.scenario(), clock.instant());
                    String layerBindings = practice.scenario() == Scenario.HEALTHY ? layers.start(tools, home, clock) : "";
                    agents.start(agentJar(), home.resolve("agent"), practice.slug(), "https://localhost:" + grpcPort,
                            AgentCaFiles.in(config.agents().caDir()).caCertificate(),
                            () -> QuarkusTransaction.requiringNew().call(() -> enrolment.issueToken(
                                    Practice.findById(practice.id()), Duration.ofHours(1)).token()),
                            bindings + layerBindings);
                    reportImageJob(home.resolve("agent"), practice);
                }
                LOG.infof("Rampart demo is running: open http://localhost:%d (three practices; data in %s; demo started in %d ms)",
                        httpPort, config.embedded().dataDir(), (System.nanoTime() - startedAt) / 1_000_000);
            } catch (RuntimeException e) {
                LOG.error("Starting the demo agents failed", e);
            }
        }, "demo-agents");
        starter.setDaemon(true);
        starter.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        agents.stopAll();
        layers.close();
    }

    /** What the practice's imaging software's post-job script would run after last night's image. */
    private void reportImageJob(Path agentHome, DemoPractice practice) {
        switch (practice.scenario()) {
            case HEALTHY -> agents.report(agentJar(), agentHome, "system-image", "ok",
                    "Veeam Agent: image of SERVER01 completed, 212 GB");
            case STALE_USB -> agents.report(agentJar(), agentHome, "system-image", "failed",
                    "Veeam Agent: image of SERVER01 failed: destination disk full");
            case EMPTY_NAS -> {
                // the imaging software was never set up to report: silence, which Rampart treats as failure
            }
        }
    }

    private Path agentJar() {
        Path jar = config.embedded().demo().agentJar()
                .orElseGet(() -> List.of(Path.of("practice-agent/target/rampart-agent.jar"), Path.of("../practice-agent/target/rampart-agent.jar"))
                        .stream().filter(Files::exists).findFirst().orElse(Path.of("practice-agent/target/rampart-agent.jar")));
        if (!Files.exists(jar)) {
            throw new IllegalStateException("The agent jar is not at " + jar.toAbsolutePath()
                    + ": build it with ./mvnw -pl practice-agent package, or set rampart.embedded.demo.agent-jar");
        }
        return jar;
    }
}
