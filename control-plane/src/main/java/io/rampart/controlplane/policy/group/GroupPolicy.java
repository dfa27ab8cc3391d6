package io.rampart.controlplane.policy.group;

import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** Which version of its policy a group has now. A group without one has the reference policy. */
@Entity
@Table(name = "group_policy")
public class GroupPolicy extends PanacheEntityBase {

    @Id
    public UUID groupId;
    public UUID providerId;
    public int currentVersion;
}
