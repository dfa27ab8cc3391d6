-- Events an agent set aside because the control plane refused them as unstorable (a NUL in a label, a date
-- out of range, an event over the size limit), from its latest heartbeat: how many, and since when (the
-- agent's clock). Null until the agent's first heartbeat after this migration; read as 0.
alter table agent_presence add column events_set_aside bigint;
alter table agent_presence add column oldest_set_aside_at timestamptz;
