package io.rampart.agent.schedule;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.rampart.agent.AgentVersion;
import io.rampart.agent.collectors.BoundedResult;
import io.rampart.agent.collectors.Collector;
import io.rampart.agent.collectors.Collectors;
import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.LocalChecks;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;

/**
 * Runs one check with the collector of its kind, the same way for the running agent ({@code rampart-agent run}) and
 * for a person at the practice ({@code rampart-agent check}): the check's definition comes from the control plane's
 * configuration, where its things are from {@code checks.properties} over the sources the control plane sent.
 */
public final class CheckRunner {

    private static final Logger LOG = Logger.getLogger(CheckRunner.class.getName());

    private final AgentHome home;
    private final Supplier<LocalChecks> settings;
    private final Clock clock;
    private final String who;

    /**
     * @param settings where each check's things are: checks.properties over the control plane's sources, asked for
     *            on every run so a new binding works without a restart
     * @param who how log lines name the agent, e.g. "agent a-1 (practice p-7)"
     */
    public CheckRunner(AgentHome home, Supplier<LocalChecks> settings, Clock clock, String who) {
        this.home = home;
        this.settings = settings;
        this.clock = clock;
        this.who = who;
    }

    /**
     * When the check must wait rather than run now (a restore that would lock a repository inside the practice's
     * backup window), the instant it may run; empty when it may run now.
     */
    public Optional<Instant> deferredUntil(CheckDefinition check) {
        return collectorFor(check).flatMap(collector -> collector.deferredUntil(check)).filter(at -> at.isAfter(clock.instant()));
    }

    /**
     * Runs the check once, in the calling thread. Never throws: a collector that fails gives a result with status
     * ERROR saying so; a kind this agent does not know gives ERROR saying to update the agent. The result is small
     * enough to deliver ({@link BoundedResult}).
     */
    public CheckResult run(CheckDefinition check) {
        CheckResult result;
        try {
            result = collectorFor(check).map(collector -> collector.run(check)).orElseGet(() -> unsupported(check));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, who + " check " + check.getCheckId() + " failed to run", e);
            result = CheckResult.newBuilder().setCheckId(check.getCheckId()).setKind(check.getKind())
                    .setStatus(CheckStatus.CHECK_STATUS_ERROR).setSummary("the agent could not run this check: " + e.getClass().getSimpleName())
                    .build();
        }
        // never an event too large to deliver (it would only be set aside)
        return BoundedResult.of(result);
    }

    private Optional<Collector> collectorFor(CheckDefinition check) {
        return Collectors.all(home, settings.get(), clock).stream().filter(c -> c.kind() == check.getKind()).findFirst();
    }

    private static CheckResult unsupported(CheckDefinition check) {
        return CheckResult.newBuilder().setCheckId(check.getCheckId()).setKind(check.getKind())
                .setStatus(CheckStatus.CHECK_STATUS_ERROR)
                .setSummary("agent version " + AgentVersion.current() + " cannot run checks of kind " + check.getKind() + ": update the agent")
                .build();
    }
}
