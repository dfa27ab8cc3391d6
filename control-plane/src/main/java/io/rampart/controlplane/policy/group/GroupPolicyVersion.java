package io.rampart.controlplane.policy.group;

import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One version of a group's policy, as it was set: never changed once written (the database refuses it too). */
@Entity
@Immutable
@Table(name = "group_policy_version")
@IdClass(GroupPolicyVersion.Key.class)
public class GroupPolicyVersion extends PanacheEntityBase {

    @Id
    public UUID groupId;
    @Id
    public int version;
    public UUID providerId;
    /** The policy document as JSON, in the form PolicyWriter writes. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public String document;
    public String changedBy;
    public Instant changedAt;
    public String comment;

    public record Key(UUID groupId, int version) implements Serializable {
        public Key() {
            this(null, 0);
        }
    }
}
