package io.rampart.agent.collectors;

import java.time.Clock;
import java.util.List;

import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.LocalChecks;

/** Every collector this agent has, one per check kind. */
public final class Collectors {

    private Collectors() {
    }

    public static List<Collector> all(AgentHome home, LocalChecks settings, Clock clock) {
        return List.of(
                new ResticRepositoryCollector(home, settings, clock), new BorgRepositoryCollector(home, settings, clock),
                new io.rampart.agent.restore.RestoreTestCollector(home, settings, clock),
                new UpsCollector(home, settings, clock),
                new UsbRotationCollector(home, settings, clock),
                new ReportedJobCollector(home, clock),
                new DatabaseSyncCollector(home, settings, clock),
                new BackupFolderCollector(home, settings, clock));
    }
}
