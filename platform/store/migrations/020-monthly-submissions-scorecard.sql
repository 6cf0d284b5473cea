-- the monthly report submitted upward (每月报送): frozen reports, their trail and late flags; the scorecard's rules (考核评估) as data
create table monthly_submissions (
  id text primary key,
  level text not null check (level in ('site', 'county', 'city', 'province')),
  subject text not null,
  name text not null,
  reviewer_code text,
  month text not null,
  state text not null check (state in ('submitted', 'returned', 'approved')),
  late boolean not null,
  due_date text not null,
  figures jsonb not null,
  rows jsonb not null,
  submitted_at timestamptz not null,
  submitted_by text not null,
  reviewed_at timestamptz,
  reviewed_by text,
  return_reason text,
  unique (level, subject, month)
);
create index monthly_submissions_reviewer on monthly_submissions (reviewer_code, month);

create table monthly_submission_events (
  id bigserial primary key,
  submission_id text not null references monthly_submissions (id),
  at timestamptz not null,
  actor text not null,
  action text not null check (action in ('submitted', 'returned', 'approved')),
  note text
);
create index monthly_submission_events_submission on monthly_submission_events (submission_id, id);

-- a report not submitted by its due day, flagged (and notified) once by the scheduled check
create table monthly_late_flags (
  level text not null,
  subject text not null,
  month text not null,
  due_date text not null,
  flagged_at timestamptz not null,
  primary key (level, subject, month)
);

create table scorecard_rules (
  code text primary key,
  metric text not null,
  points integer not null,
  threshold double precision,
  step double precision,
  cap integer,
  active boolean not null default true,
  position integer not null,
  version integer not null,
  updated_at timestamptz not null,
  updated_by text not null
);
-- every version of every rule, the first ones shipped here
create table scorecard_rule_versions (
  code text not null,
  version integer not null,
  definition jsonb not null,
  changed_by text not null,
  changed_at timestamptz not null,
  primary key (code, version)
);
insert into scorecard_rules (code, metric, points, threshold, step, cap, position, version, updated_at, updated_by) values
  ('checks_missed', 'checks_missed', -1, null, null, 20, 1, 1, now(), 'system'),
  ('overdue_rectifications', 'overdue_rectifications', -5, null, null, 20, 2, 1, now(), 'system'),
  ('major_hazards_open', 'major_hazards_open', -5, null, null, 20, 3, 1, now(), 'system'),
  ('false_alarm_rate', 'false_alarm_rate', -5, 0.5, null, null, 4, 1, now(), 'system'),
  ('online_rate', 'online_rate', -2, 0.95, 0.05, 10, 5, 1, now(), 'system'),
  ('duty_checks_missed', 'duty_checks_missed', -2, null, null, 10, 6, 1, now(), 'system'),
  ('preparedness_overdue', 'preparedness_overdue', -3, null, null, 15, 7, 1, now(), 'system'),
  ('report_late', 'report_late', -5, null, null, null, 8, 1, now(), 'system'),
  ('report_on_time', 'report_on_time', 2, null, null, null, 9, 1, now(), 'system'),
  ('notices', 'notices', -3, null, null, 9, 10, 1, now(), 'system'),
  ('interviews', 'interviews', -5, null, null, 15, 11, 1, now(), 'system');
insert into scorecard_rule_versions (code, version, definition, changed_by, changed_at)
select code, version, jsonb_build_object('metric', metric, 'points', points, 'threshold', threshold, 'step', step, 'cap', cap, 'active', active), updated_by, updated_at
from scorecard_rules;
