-- Clocks lie. How far each agent's clock was ahead of the control plane's (negative: behind) at its
-- latest batch, in milliseconds, so a practice whose server keeps the wrong time is shown as such.
alter table agent_presence add column clock_offset_ms bigint;
-- Backups the agent saw dated in the future (a clock problem on the backup host), as the rules read them.
alter table check_state add column future_dated jsonb not null default '[]';
-- Evidence is dated by the agent but never later than the control plane received it (FleetProjection):
-- rows an agent with a clock running ahead wrote before that rule would otherwise refuse every newer result.
update check_state c set observed_at = h.received_at
from event_history h
where h.event_id = c.event_id and c.observed_at > h.received_at;
