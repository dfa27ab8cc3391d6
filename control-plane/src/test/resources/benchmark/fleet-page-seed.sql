-- The fleet FleetPageBenchmark times: :practices practices in :groups groups of one provider, :agents_per_practice
-- agents each, eleven rule states each (from which the practice's state follows, worst first) and :events events of
-- history, all generated in SQL (generate_series), so 10 million events seed in minutes. Every id, name and state
-- is derived from a row number, so two runs seed the same fleet and answer every query the same way; times are
-- relative to :'now'. Runs in psql too: psql -v provider=... -v now=... -v groups=20 ... -f fleet-page-seed.sql
-- Statements end with a semicolon at the end of a line (the benchmark splits on that).

-- ids: 00000000-0000-4000-8<kind>-<row number>, kind 1 group, 2 practice, 3 agent, 4 event
insert into practice_group (id, provider_id, name, created_at)
select ('00000000-0000-4000-8001-' || lpad(to_hex(g), 12, '0'))::uuid, :'provider', 'Bench group ' || lpad(g::text, 2, '0'),
       :'now'::timestamptz - interval '400 days'
from generate_series(1, :groups) g;

insert into practice (id, provider_id, group_id, name, created_at)
select ('00000000-0000-4000-8002-' || lpad(to_hex(n), 12, '0'))::uuid, :'provider',
       ('00000000-0000-4000-8001-' || lpad(to_hex(1 + n % :groups), 12, '0'))::uuid,
       (array['Harbour', 'Northgate', 'Riverside', 'Elm Park', 'Kingsway', 'Meadowbank', 'Old Town', 'Westfield',
              'Bridge Street', 'Hillcrest'])[1 + (n / 7) % 10]
           || (array[' Dental', ' Family Practice', ' Medical Centre', ' Surgery'])[1 + n % 4] || ' ' || n,
       :'now'::timestamptz - interval '400 days'
from generate_series(1, :practices) n;

-- one agent in twenty silent for hours to weeks, the rest seen in the last ten minutes
insert into agent (id, provider_id, group_id, practice_id, certificate_serial, hostname, agent_version, operating_system, enrolled_at)
select ('00000000-0000-4000-8003-' || lpad(to_hex(a), 12, '0'))::uuid, :'provider',
       ('00000000-0000-4000-8001-' || lpad(to_hex(1 + ((a - 1) / :agents_per_practice + 1) % :groups), 12, '0'))::uuid,
       ('00000000-0000-4000-8002-' || lpad(to_hex((a - 1) / :agents_per_practice + 1), 12, '0'))::uuid,
       'bench-' || a, 'server-' || a, 'bench', 'Windows Server 2019', :'now'::timestamptz - interval '300 days'
from generate_series(1, :practices * :agents_per_practice) a;

insert into agent_presence (agent_id, provider_id, group_id, practice_id, hostname, agent_version, last_seen_at)
select id, provider_id, group_id, practice_id, hostname, agent_version,
       :'now'::timestamptz - case when abs(hashtext(id::text)) % 20 = 0
           then make_interval(hours => 2 + abs(hashtext(id::text)) % 500)
           else make_interval(secs => abs(hashtext(id::text)) % 600) end
from agent where certificate_serial like 'bench-%';

-- per rule: 1 % FAIL, 2 % AT_RISK, 1 % UNKNOWN (half of these a configuration gap), the rest PASS
insert into rule_state (practice_id, rule_id, provider_id, group_id, status, reason, since, policy_version, configuration_gap)
select p.id, r.rule_id, p.provider_id, p.group_id, s.status,
       case s.status when 'PASS' then 'ok (benchmark)' else r.rule_id || ' is ' || s.status || ' (benchmark)' end,
       :'now'::timestamptz - make_interval(hours => s.h % 2000), 1, s.status = 'UNKNOWN' and s.h % 2 = 0
from practice p
cross join unnest(array['db-sync', 'cloud-copy', 'nas-copy', 'usb-rotation', 'system-image', 'archive-retention',
                        'restore-test', 'ups', 'plan-review', 'contacts', 'agent-heartbeat']) as r(rule_id)
cross join lateral (select abs(hashtext(p.id::text || r.rule_id)) as h) h
cross join lateral (select h.h, case when h.h % 100 < 1 then 'FAIL' when h.h % 100 < 3 then 'AT_RISK'
                                     when h.h % 100 < 4 then 'UNKNOWN' else 'PASS' end as status) s
where p.group_id::text like '00000000-0000-4000-8001-%';

-- the practice's state is its worst rule's; one practice in two hundred has not been evaluated yet (no row)
insert into practice_compliance (practice_id, provider_id, group_id, status, reason, since, policy_version, evaluated_at,
                                 evaluated_by, next_due_at)
select practice_id, provider_id, group_id, status, reason, since, 1, :'now', 'benchmark', :'now'::timestamptz + interval '365 days'
from (select distinct on (practice_id) practice_id, provider_id, group_id, status, reason, since
      from rule_state where reason like '%(benchmark)'
      order by practice_id, case status when 'FAIL' then 0 when 'UNKNOWN' then 1 when 'AT_RISK' then 2 else 3 end, rule_id) worst
where abs(hashtext(practice_id::text)) % 200 <> 0;

-- per practice :events / :practices events over 90 days (k counts a practice's events): half heartbeats, the rest
-- check results of the nightly copies and the image, and one in a hundred a restore test; one in 37 failed
insert into event_history (event_id, provider_id, group_id, practice_id, agent_id, type, check_id, status, summary,
                           occurred_at, received_at, kafka_partition, kafka_offset)
select ('00000000-0000-4000-8004-' || lpad(to_hex(e), 12, '0'))::uuid, :'provider',
       ('00000000-0000-4000-8001-' || lpad(to_hex(1 + (1 + e % :practices) % :groups), 12, '0'))::uuid,
       ('00000000-0000-4000-8002-' || lpad(to_hex(1 + e % :practices), 12, '0'))::uuid,
       ('00000000-0000-4000-8003-' || lpad(to_hex(e % :practices * :agents_per_practice + 1), 12, '0'))::uuid,
       case when k % 2 = 0 then 'HEARTBEAT' else 'CHECK_RESULT' end,
       case when k % 2 = 0 then null when k % 100 = 99 then 'restore-test'
            else (array['nas-copy', 'usb-copy', 'cloud-copy', 'system-image'])[1 + (k / 2) % 4] end,
       case when k % 2 = 0 then null when (k + e) % 37 = 0 then 'FAIL' else 'PASS' end,
       'benchmark', occurred, occurred + interval '2 seconds', (e % 3)::int, e
from generate_series(1, :events) e
cross join lateral (select e / :practices as k) k
cross join lateral (select :'now'::timestamptz
    - make_interval(secs => k.k::double precision * 7776000 / greatest(:events / :practices, 1) + e % 600) as occurred) t;

analyze practice_group;
analyze practice;
analyze agent;
analyze agent_presence;
analyze rule_state;
analyze practice_compliance;
analyze event_history;
