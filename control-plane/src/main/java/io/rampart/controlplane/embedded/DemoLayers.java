package io.rampart.controlplane.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.jboss.logging.Logger;

/**
 * The layers of defence the demo's passing practice has beyond its folders, each set up for real
 * with this machine's tools under the practice's folder: the cloud copy (a restic repository, and a
 * restore test of it), the UPS (NUT) and the clinical database's standby (PostgreSQL). A layer whose
 * tool is missing is left out; one that fails to start is logged and left out of checks.properties
 * (its rule then fails with the agent's own words). The servers started here are stopped by {@link #close()}.
 */
final class DemoLayers implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DemoLayers.class);

    private final List<AutoCloseable> running = new ArrayList<>();

    /**
     * Sets up every layer the tools allow for the practice in {@code home} (agent home {@code home/agent}).
     *
     * @return the checks.properties lines that bind the layers' checks
     */
    synchronized String start(DemoTools tools, Path home, Clock clock) {
        StringBuilder bindings = new StringBuilder();
        Path agentHome = home.resolve("agent");
        tools.restic().ifPresent(restic -> attempt("cloud copy (restic)", () -> {
            Path data = writeServerData(home.resolve("server-data"));
            bindings.append(DemoCloudCopy.prepare(restic, home, data, agentHome, clock.instant()));
        }));
        tools.nut().ifPresent(nut -> attempt("UPS (NUT)", () -> {
            DemoUps ups = DemoUps.start(nut, home.resolve("nut"), clock.instant());
            running.add(ups);
            bindings.append(ups.bindings());
        }));
        tools.postgresBin().ifPresent(bin -> attempt("database standby (PostgreSQL)", () -> {
            DemoStandby standby = DemoStandby.start(bin, home.resolve("database"));
            running.add(standby);
            bindings.append(standby.bindings());
        }));
        return bindings.toString();
    }

    private static void attempt(String layer, Runnable setUp) {
        long started = System.nanoTime();
        try {
            setUp.run();
            LOG.infof("The demo's %s is ready (%d ms)", layer, (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException e) {
            LOG.errorf("The demo could not set up its %s, so it is left out: %s", layer, e.getMessage());
        }
    }

    /** The practice server's files the cloud copy backs up: a database export and the letters folder, written once. */
    static Path writeServerData(Path data) {
        try {
            Files.createDirectories(data.resolve("letters"));
            Path export = data.resolve("clinical-db-export.sql");
            if (!Files.exists(export)) {
                StringBuilder sql = new StringBuilder("-- clinical database export\n");
                Random random = new Random(42);
                for (int i = 1; i <= 2000; i++) {
                    sql.append("insert into appointments values (").append(i).append(", 'patient ").append(random.nextInt(100_000))
                            .append("', now());\n");
                }
                Files.writeString(export, sql);
                for (int i = 1; i <= 20; i++) {
                    Files.writeString(data.resolve("letters").resolve("referral-" + i + ".txt"),
                            "Dear colleague,\nplease see patient " + random.nextInt(100_000) + " about referral " + i + ".\n");
                }
            }
            return data;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the demo practice's server data in " + data, e);
        }
    }

    /** Stops the servers in the reverse order of their start. */
    @Override
    public synchronized void close() {
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                LOG.warnf("Stopping a demo server failed: %s", e.getMessage());
            }
        }
        running.clear();
    }
}
