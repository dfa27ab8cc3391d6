-- A group is archived and a practice decommissioned, never deleted: its agents are revoked, its alerts
-- closed, and its data and history are kept, read-only, for the retention the README states. Who did it
-- and when is shown on the practice's page and kept in the audit log with the before and after.
alter table practice_group
    add column archived_at timestamptz,
    add column archived_by text;

alter table practice
    add column decommissioned_at timestamptz,
    add column decommissioned_by text,
    add column decommission_reason text,
    add check ((decommissioned_at is null) = (decommissioned_by is null));

-- Names are unique among the live groups of a provider and the live practices of a group, as people
-- tell them apart; the rule is checked by the tenancy lifecycle (a field error), not by an index, so
-- rows written before this rule existed keep working.
create index practice_group_provider_name on practice_group (provider_id, lower(name)) where archived_at is null;
create index practice_live on practice (group_id) where decommissioned_at is null;
