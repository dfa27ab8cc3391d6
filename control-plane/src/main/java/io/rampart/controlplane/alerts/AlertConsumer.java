package io.rampart.controlplane.alerts;

import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.jboss.logging.Logger;

import com.google.protobuf.InvalidProtocolBufferException;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.rampart.controlplane.events.KafkaClients;
import io.rampart.controlplane.events.TopicConsumer;
import io.rampart.protocol.compliance.v1.ComplianceChanged;

/** Reads the compliance topic and hands each poll to Alerting in one transaction; offsets follow the commit. */
@ApplicationScoped
public class AlertConsumer {

    static final String GROUP = "rampart-alerts";
    private static final Logger LOG = Logger.getLogger(AlertConsumer.class);

    @Inject
    KafkaClients clients;
    @Inject
    Alerting alerting;

    private volatile TopicConsumer consumer;

    /** After the topics exist (EventLogLifecycle creates them at the default priority). */
    void onStart(@Observes @Priority(2600) StartupEvent event) {
        start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    public synchronized void start() {
        if (!running()) {
            consumer = TopicConsumer.start("alerts", clients.common("rampart-alerts"), GROUP, clients.complianceTopic(), 500, this::apply);
        }
    }

    public synchronized void stop() {
        if (consumer != null) {
            consumer.stop();
        }
    }

    public boolean running() {
        return consumer != null && consumer.running();
    }

    private void apply(ConsumerRecords<String, byte[]> records) {
        List<ComplianceChanged> changes = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                changes.add(ComplianceChanged.parseFrom(record.value()));
            } catch (InvalidProtocolBufferException e) {
                // only the compliance evaluation writes this topic; an unreadable record is skipped, not retried for ever
                LOG.errorf("Skipping unreadable record %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
            }
        }
        QuarkusTransaction.requiringNew().run(() -> alerting.apply(changes));
    }
}
