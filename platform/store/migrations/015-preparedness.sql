-- training, emergency plans and drills; the on-site fire team (微型消防站) and its equipment checks
create table preparedness_records (
  id text primary key,
  site_id text not null references sites (id),
  region_code text not null,
  kind text not null,
  topic text not null,
  held_on date not null,
  title text not null,
  participants integer not null,
  participant_names text not null,
  evaluation text not null,
  created_by text not null,
  created_at timestamptz not null
);
create index preparedness_site on preparedness_records (site_id, held_on desc);

create table preparedness_attachments (
  id text primary key,
  record_id text not null references preparedness_records (id),
  name text not null,
  content_type text not null,
  bytes bytea not null,
  uploaded_by text not null,
  uploaded_at timestamptz not null
);
create index preparedness_attachments_record on preparedness_attachments (record_id);

create table fire_teams (
  site_id text primary key references sites (id),
  members jsonb not null,
  equipment jsonb not null,
  updated_at timestamptz not null,
  updated_by text not null
);

create table fire_team_checks (
  id text primary key,
  site_id text not null references sites (id),
  checked_on date not null,
  items jsonb not null,
  failed integer not null,
  checked_by text not null,
  checked_at timestamptz not null
);
create index fire_team_checks_site on fire_team_checks (site_id, checked_at desc);
