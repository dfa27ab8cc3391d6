package io.rampart.controlplane.operations;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;

import io.rampart.controlplane.RampartConfig;
import io.rampart.controlplane.mail.SmtpSender;

/**
 * Tells the platform operator (the person running this installation, not a tenant) that something
 * needs them: always an ERROR log line and the counter {@code rampart.operator.alerts}, and an
 * email to {@code rampart.operator.email} when it is set. The email is sent on a thread of its
 * own, so a slow or absent mail server never holds up the caller (a consumer). Callers decide
 * how often to raise (e.g. DeadLetters: once per consumer per hour).
 */
@ApplicationScoped
public class OperatorAlerts {

    private static final Logger LOG = Logger.getLogger(OperatorAlerts.class);

    @Inject
    RampartConfig config;
    @Inject
    SmtpSender smtp;
    @Inject
    MeterRegistry registry;

    private final ExecutorService mail = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "operator-alerts");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * Raises an alert for the operator.
     *
     * @param subject one line naming what happened and how much (e.g. "fleet-projection: 1 record dead-lettered")
     * @param detail what it is, the first reason, where to look and what to do, in plain text
     */
    public void raise(String subject, String detail) {
        io.micrometer.core.instrument.Counter.builder("rampart.operator.alerts")
                .description("Alerts raised to the platform operator (log line, and email when rampart.operator.email is set)")
                .register(registry).increment();
        LOG.errorf("Operator alert: %s. %s", subject, detail);
        config.operator().email().ifPresent(to -> mail.submit(() -> {
            try {
                smtp.send(to, "[Rampart operator] " + subject, detail);
            } catch (RuntimeException e) {
                LOG.errorf("The operator alert \"%s\" could not be emailed to %s: %s", subject, to, e.getMessage());
            }
        }));
    }

    @PreDestroy
    void close() {
        mail.shutdown();
        try {
            mail.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
