-- the fire control room's duty: operators' certificates, the roster of shifts, signing on and off, 查岗
create table operator_certificates (
  username text primary key,
  number text not null,
  level text not null,
  expires_on date not null,
  updated_at timestamptz not null,
  updated_by text not null
);

create table duty_shifts (
  id text primary key,
  site_id text not null references sites (id),
  region_code text not null,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  operators jsonb not null,
  leader jsonb not null,
  created_by text not null,
  created_at timestamptz not null
);
create index duty_shifts_site on duty_shifts (site_id, starts_at);

create table duty_sessions (
  id text primary key,
  site_id text not null references sites (id),
  region_code text not null,
  username text not null,
  signed_on_at timestamptz not null,
  signed_off_at timestamptz,
  handover jsonb
);
-- one open session per operator and control room
create unique index duty_sessions_open on duty_sessions (site_id, username) where signed_off_at is null;

create table duty_checks (
  id text primary key,
  site_id text not null references sites (id),
  region_code text not null,
  asked_by text not null,
  asked_at timestamptz not null,
  answer_by timestamptz not null,
  state text not null,
  answered_at timestamptz,
  answered_by text,
  device_id text,
  command_id text,
  device_answered_at timestamptz
);
create index duty_checks_site on duty_checks (site_id, asked_at desc);
create index duty_checks_waiting on duty_checks (answer_by) where state = 'waiting';
create index duty_checks_command on duty_checks (command_id) where command_id is not null;
