package io.rampart.controlplane.policy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import io.rampart.controlplane.tenancy.Practice;

/**
 * The checks a practice's agents run: its group's check set merged with the practice's own rows. Precedence, per
 * check id: a practice row that is {@code removed} takes the group's check away; any other practice row replaces the
 * group's check of the same id whole (kind, interval and settings) or adds a check the group does not have; a group
 * check the practice says nothing about is run as the group defines it. The group's policy then applies its
 * thresholds to the result (PolicyCheckSettings), and a check whose rule the policy switched off is not run.
 */
@ApplicationScoped
public class ConfiguredChecks {

    /** Where a check of a practice comes from. */
    public enum Origin {
        /** The group's check set, unchanged. */
        GROUP,
        /** The practice's own definition in place of the group's check of the same id. */
        PRACTICE_OVERRIDE,
        /** A check only this practice has. */
        PRACTICE
    }

    /** One check as a practice runs it (before the policy's thresholds), and where it comes from. */
    public record Configured(CheckDefinition definition, Origin origin) {
    }

    /**
     * The practice's checks by check id, sorted; a check the practice removed is left out.
     *
     * @param group    the group's check definitions
     * @param practice the practice's own rows
     */
    public static List<Configured> merge(UUID groupId, Collection<CheckDefinition> group, Collection<PracticeCheck> practice) {
        Map<String, Configured> merged = new TreeMap<>();
        group.forEach(definition -> merged.put(definition.checkId, new Configured(definition, Origin.GROUP)));
        for (PracticeCheck own : practice) {
            if (own.removed) {
                merged.remove(own.checkId);
                continue;
            }
            Origin origin = merged.containsKey(own.checkId) ? Origin.PRACTICE_OVERRIDE : Origin.PRACTICE;
            merged.put(own.checkId, new Configured(asDefinition(groupId, own), origin));
        }
        return new ArrayList<>(merged.values());
    }

    /** The merged checks of one practice, read in the caller's transaction. */
    @Transactional(TxType.MANDATORY)
    public List<Configured> of(Practice practice) {
        return merge(practice.groupId, CheckDefinition.list("groupId = ?1", practice.groupId),
                PracticeCheck.list("practiceId = ?1", practice.id));
    }

    /** The ids of the checks each practice's agents are configured to run, with two queries for the whole set. */
    @Transactional(TxType.MANDATORY)
    public Map<UUID, Set<String>> idsOf(Collection<Practice> practices) {
        if (practices.isEmpty()) {
            return Map.of();
        }
        Set<UUID> groupIds = practices.stream().map(p -> p.groupId).collect(Collectors.toSet());
        Map<UUID, List<CheckDefinition>> byGroup = new HashMap<>();
        CheckDefinition.<CheckDefinition> list("groupId in ?1", groupIds)
                .forEach(d -> byGroup.computeIfAbsent(d.groupId, id -> new ArrayList<>()).add(d));
        Map<UUID, List<PracticeCheck>> byPractice = new HashMap<>();
        PracticeCheck.<PracticeCheck> list("practiceId in ?1", practices.stream().map(p -> p.id).toList())
                .forEach(c -> byPractice.computeIfAbsent(c.practiceId, id -> new ArrayList<>()).add(c));
        Map<UUID, Set<String>> ids = new HashMap<>();
        for (Practice practice : practices) {
            ids.put(practice.id, merge(practice.groupId, byGroup.getOrDefault(practice.groupId, List.of()),
                    byPractice.getOrDefault(practice.id, List.of())).stream().map(c -> c.definition().checkId)
                    .collect(Collectors.toSet()));
        }
        return ids;
    }

    /** A practice's row as a (transient, never persisted) definition of the practice's group. */
    static CheckDefinition asDefinition(UUID groupId, PracticeCheck own) {
        CheckDefinition definition = new CheckDefinition();
        definition.groupId = groupId;
        definition.providerId = own.providerId;
        definition.checkId = own.checkId;
        definition.kind = own.kind;
        definition.intervalSeconds = own.intervalSeconds;
        definition.settings = own.settings == null ? "{}" : own.settings;
        return definition;
    }
}
