package io.rampart.controlplane.policy;

import java.io.Serializable;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One check a group requires of every practice's agent, with its thresholds. */
@Entity
@Table(name = "check_definition")
@IdClass(CheckDefinition.Key.class)
public class CheckDefinition extends PanacheEntityBase {

    @Id
    public UUID groupId;
    @Id
    public String checkId;
    public UUID providerId;
    /** A CheckKind name without its prefix, e.g. BACKUP_FOLDER. */
    public String kind;
    public long intervalSeconds;
    /** The kind's settings message as protobuf JSON, e.g. {"maxAge": "93600s", "minSizeBytes": "1024"}. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public String settings = "{}";

    public record Key(UUID groupId, String checkId) implements Serializable {
        public Key() {
            this(null, null);
        }
    }
}
