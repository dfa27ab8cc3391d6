package io.rampart.controlplane.alerts;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

import com.google.protobuf.InvalidProtocolBufferException;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

import io.rampart.controlplane.events.KafkaClients;
import io.rampart.controlplane.events.StoreProbe;
import io.rampart.controlplane.events.TopicConsumer;
import io.rampart.controlplane.events.TopicConsumers;
import io.rampart.controlplane.events.UnreadableRecord;
import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.compliance.v1.ComplianceChanged;
import io.rampart.protocol.compliance.v1.ComplianceStatus;

/**
 * Reads the compliance topic and hands each poll to Alerting in one transaction; offsets follow the commit.
 * A compliance record Alerting cannot apply goes to the dead letters (TopicConsumer), and the alerts of
 * everyone else go on.
 */
@ApplicationScoped
public class AlertConsumer {

    static final String GROUP = "rampart-alerts";
    /** The consumer's name in metrics, readiness, logs and dead-letter headers. */
    public static final String NAME = "alerts";

    @Inject
    KafkaClients clients;
    @Inject
    Alerting alerting;
    @Inject
    TopicConsumers consumers;
    @Inject
    Clock clock;

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
            consumer = consumers.start(NAME, GROUP, clients.complianceTopic(), 500, this::apply, this::probe);
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
                // only the compliance evaluation writes this topic: such a record goes to the dead letters
                throw new UnreadableRecord(record.topic(), record.partition(), record.offset(), e);
            }
        }
        QuarkusTransaction.requiringNew().run(() -> alerting.apply(changes));
    }

    /** A change of a practice nobody has, applied through Alerting and rolled back. */
    private void probe() {
        ComplianceChanged change = ComplianceChanged.newBuilder().setEventId(UUID.randomUUID().toString())
                .setProviderId(UUID.randomUUID().toString()).setGroupId(UUID.randomUUID().toString())
                .setPracticeId(UUID.randomUUID().toString()).setRuleId("rampart-probe").setStatus(ComplianceStatus.COMPLIANCE_STATUS_FAIL)
                .setReason("probe").setChangedAt(ProtoTime.timestamp(clock.instant())).build();
        StoreProbe.inRolledBackTransaction(() -> alerting.apply(List.of(change)));
    }
}
