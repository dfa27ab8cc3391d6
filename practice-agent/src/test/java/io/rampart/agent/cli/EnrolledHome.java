package io.rampart.agent.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.rampart.agent.Enrolment;
import io.rampart.agent.FakeControlPlane;
import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.AgentState;
import io.rampart.agent.config.DesiredConfiguration;
import io.rampart.protocol.agent.v1.AgentConfiguration;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;

/** An agent home enrolled at a real (fake) control plane over mTLS, with a saved configuration, as `run` leaves it. */
final class EnrolledHome {

    final AgentHome home;
    final FakeControlPlane controlPlane;
    final URI server;

    private EnrolledHome(AgentHome home, FakeControlPlane controlPlane, URI server) {
        this.home = home;
        this.controlPlane = controlPlane;
        this.server = server;
    }

    /** Starts the control plane on localhost (TLS) and enrols an agent into {@code directory}. */
    static EnrolledHome enrol(Path directory, FakeControlPlane controlPlane) throws Exception {
        URI server = URI.create("https://localhost:" + controlPlane.startOnLocalhost());
        AgentHome home = AgentHome.at(directory);
        Enrolment.enroll(home, server, FakeControlPlane.TOKEN, "reception-pc", List.of(controlPlane.pki.caCertificate()));
        return new EnrolledHome(home, controlPlane, server);
    }

    /** Saves this configuration as the one the agent last received (what `run` keeps in state.properties). */
    EnrolledHome received(AgentConfiguration configuration) {
        home.writeState(AgentState.initial().withConfiguration(new DesiredConfiguration(configuration)));
        controlPlane.configuration = configuration;
        return this;
    }

    /** checks.properties with these lines. */
    EnrolledHome settings(String... lines) throws Exception {
        Files.write(home.checksFile(), List.of(lines), StandardCharsets.UTF_8);
        return this;
    }

    /** As {@link #settings}, for tests whose settings cannot fail to be written. */
    EnrolledHome settingsQuietly(String... lines) {
        try {
            return settings(lines);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static CheckDefinition check(String id, CheckKind kind) {
        return CheckDefinition.newBuilder().setCheckId(id).setKind(kind).setInterval(DesiredConfiguration.toProto(Duration.ofHours(1))).build();
    }

    /** The command's exit code, standard output and error. */
    record Run(int exit, String out, String err) {
    }

    Run run(Clock clock, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] withHome = new String[args.length + 2];
        System.arraycopy(args, 0, withHome, 0, args.length);
        withHome[args.length] = "--home";
        withHome[args.length + 1] = home.directory().toString();
        int exit = new Main(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), clock)
                .run(withHome);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    Run run(String... args) {
        return run(Clock.systemUTC(), args);
    }
}
