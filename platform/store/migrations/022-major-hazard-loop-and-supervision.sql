-- the major hazard's loop (a deadline per state, reported upward, acceptance criteria, extensions) and 挂牌督办 as its own record
alter table tickets add column state_since timestamptz;
alter table tickets add column state_deadline timestamptz;
alter table tickets add column reported_upward_at timestamptz;
alter table tickets add column acceptance_criteria text;

-- when each ticket entered its state: its latest step into it, or its report
update tickets t set state_since = coalesce((select max(e.at) from ticket_events e where e.ticket_id = t.id and e.to_state = t.state), t.reported_at);
alter table tickets alter column state_since set not null;

-- the state deadlines by FireNet's default limits (platform/tickets/deadlines.ts): 24 h to register a major hazard,
-- 72 h a general one, the five-in-place deadline while rectified, 72 h to verify
update tickets set state_deadline = case
  when state = 'reported' then reported_at + case when grade = 'major' then interval '24 hours' else interval '72 hours' end
  when state in ('registered', 'rectifying') then deadline
  when state = 'pending_verification' then state_since + interval '72 hours'
  else null end;
update tickets set reported_upward_at = reported_at where grade = 'major';
create index tickets_state_deadline on tickets (state_deadline) where state <> 'closed' and overdue_at is null;

create table ticket_supervisions (
  id text primary key,
  ticket_id text not null references tickets (id),
  region_code text not null,
  put_up_by text not null,
  put_up_at timestamptz not null,
  deadline timestamptz not null,
  note text not null,
  lifted_by text,
  lifted_at timestamptz,
  lift_note text
);
create unique index ticket_supervisions_active on ticket_supervisions (ticket_id) where lifted_at is null;
create index ticket_supervisions_ticket on ticket_supervisions (ticket_id, put_up_at desc);

-- the supervised flag as it was (a bureau's 'escalated' step in the trail; an overdue ticket's escalation is not one):
-- a record each, by that bureau's region, with the rectification deadline or 30 days as its deadline
insert into ticket_supervisions (id, ticket_id, region_code, put_up_by, put_up_at, deadline, note)
select 'migrated-' || e.ticket_id, e.ticket_id, coalesce(u.region_code, '000000'), e.actor, e.at,
  coalesce(t.deadline, e.at + interval '30 days'), coalesce(e.note, '')
from (select distinct on (ticket_id) * from ticket_events where action = 'escalated' order by ticket_id, id) e
join tickets t on t.id = e.ticket_id
left join users u on u.username = e.actor;

create table ticket_extensions (
  id text primary key,
  ticket_id text not null references tickets (id),
  requested_by text not null,
  requested_at timestamptz not null,
  deadline timestamptz not null,
  previous_deadline timestamptz not null,
  reason text not null,
  state text not null check (state in ('pending', 'approved', 'rejected')),
  decided_by text,
  decided_at timestamptz,
  decision_note text
);
create unique index ticket_extensions_pending on ticket_extensions (ticket_id) where state = 'pending';
create index ticket_extensions_ticket on ticket_extensions (ticket_id, requested_at desc);
