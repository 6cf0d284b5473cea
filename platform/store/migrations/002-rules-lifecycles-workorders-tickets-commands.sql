-- rules engine, alarm lifecycle, work orders, hazard tickets, commands
alter table sites add column ack_sec integer not null default 60;
alter table sites add column confirm_sec integer not null default 180;
alter table sites add column escalate_sec integer not null default 300;
alter table sites add column webhook_url text;
alter table sites add column authorised_badges jsonb not null default '[]';

alter table devices add column false_alarms integer not null default 0;

alter table alarms add column rule_id text not null default 'smoke.alarm';
alter table alarms add column zone text;
alter table alarms add column likely_fire boolean not null default false;
alter table alarms add column outcome text;
alter table alarms add column acknowledged_at timestamptz;
alter table alarms add column acknowledged_by text;
alter table alarms add column confirmed_at timestamptz;
alter table alarms add column confirmed_by text;
alter table alarms add column closed_at timestamptz;
alter table alarms add column closed_by text;
alter table alarms add column recovered_at timestamptz;
alter table alarms add column ack_overdue_at timestamptz;
alter table alarms add column confirm_overdue_at timestamptz;
alter table alarms add column escalated_at timestamptz;
alter table alarms add column note text;
drop index alarms_open_source;
-- one open alarm per rule and subject (device + source): repeats update it, even when they arrive together
create unique index alarms_open_subject on alarms (rule_id, source_key) where status <> 'closed';
create index alarms_open on alarms (status) where status <> 'closed';

create table workorders (
  id text primary key,
  rule_id text not null,
  subject text not null,
  device_id text not null,
  site_id text not null,
  region_code text not null,
  category text not null,
  state text not null,
  count integer not null,
  data jsonb not null,
  opened_at timestamptz not null,
  last_seen_at timestamptz not null,
  assigned_to text,
  assigned_at timestamptz,
  fixed_at timestamptz,
  fixed_by text,
  verified_at timestamptz,
  verified_by text,
  recovered_at timestamptz,
  repair_seconds integer,
  note text
);
create unique index workorders_open_subject on workorders (rule_id, subject) where state <> 'verified';
create index workorders_site on workorders (site_id, opened_at desc);

create table tickets (
  id text primary key,
  rule_id text,
  subject text,
  source text not null,
  device_id text,
  site_id text not null,
  region_code text not null,
  title text not null,
  description text not null default '',
  location text not null default '',
  level text not null,
  grade text not null,
  state text not null,
  count integer not null,
  data jsonb not null,
  reported_at timestamptz not null,
  reported_by text not null,
  last_seen_at timestamptz not null,
  owner text,
  funds text,
  measures text,
  deadline timestamptz,
  contingency_plan text,
  recovered_at timestamptz,
  overdue_at timestamptz,
  escalated_at timestamptz,
  closed_at timestamptz,
  updated_at timestamptz not null
);
create unique index tickets_open_subject on tickets (rule_id, subject) where state <> 'closed' and rule_id is not null;
create index tickets_site on tickets (site_id, reported_at desc);

create table ticket_events (
  id bigserial primary key,
  ticket_id text not null references tickets (id),
  at timestamptz not null,
  actor text not null,
  action text not null,
  from_state text,
  to_state text,
  note text,
  data jsonb not null default '{}'
);
create index ticket_events_ticket on ticket_events (ticket_id, id);

create table ticket_photos (
  id text primary key,
  ticket_id text not null references tickets (id),
  content_type text not null,
  bytes bytea not null,
  uploaded_by text not null,
  uploaded_at timestamptz not null
);
create index ticket_photos_ticket on ticket_photos (ticket_id);

create table commands (
  id text primary key,
  device_id text not null,
  rule_id text,
  subject text,
  type text not null,
  payload jsonb not null,
  state text not null,
  attempts integer not null,
  max_attempts integer not null,
  timeout_sec double precision not null,
  created_at timestamptz not null,
  sent_at timestamptz,
  acked_at timestamptz,
  ok boolean,
  message text
);
create index commands_pending on commands (state) where state = 'pending';
create index commands_device on commands (device_id, created_at desc);

create table rules (
  id text not null,
  version integer not null,
  definition jsonb not null,
  changed_by text not null,
  changed_at timestamptz not null,
  primary key (id, version)
);

create table special_periods (
  name text primary key,
  label text not null,
  starts_at timestamptz not null,
  ends_at timestamptz not null
);

create table engine_state (
  id integer primary key,
  state text not null,
  saved_at timestamptz not null
);
