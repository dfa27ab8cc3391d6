package io.rampart.controlplane.events;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a poll's application stands per partition: the offset of the first record not yet committed.
 * Commits go through here, so a poll given up half way is read again from exactly that record
 * ({@link #seekBack}), and nothing committed is applied twice by this replica.
 */
final class PollPosition {

    private final KafkaConsumer<String, byte[]> consumer;
    private final ConsumerProgress progress;
    private final Map<TopicPartition, Long> next = new HashMap<>();

    PollPosition(KafkaConsumer<String, byte[]> consumer, ConsumerProgress progress, ConsumerRecords<String, byte[]> records) {
        this.consumer = consumer;
        this.progress = progress;
        for (TopicPartition partition : records.partitions()) {
            next.put(partition, records.records(partition).get(0).offset());
        }
    }

    /** Commits the whole poll: every partition past its last record. */
    void commitAll(ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        long newest = -1;
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> inPartition = records.records(partition);
            ConsumerRecord<String, byte[]> last = inPartition.get(inPartition.size() - 1);
            offsets.put(partition, new OffsetAndMetadata(last.offset() + 1));
            newest = Math.max(newest, last.timestamp());
        }
        consumer.commitSync(offsets);
        offsets.forEach((partition, offset) -> next.put(partition, offset.offset()));
        progress.committed(newest);
    }

    /** Commits past one record (applied, or sent to the dead letters). */
    void commitPast(ConsumerRecord<String, byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        consumer.commitSync(Map.of(partition, new OffsetAndMetadata(record.offset() + 1)));
        next.put(partition, record.offset() + 1);
        progress.committed(record.timestamp());
    }

    /** The next poll starts again at the first record of each partition not committed yet. */
    void seekBack() {
        var assigned = consumer.assignment();
        next.forEach((partition, offset) -> {
            if (assigned.contains(partition)) {
                consumer.seek(partition, offset);
            }
        });
    }
}
