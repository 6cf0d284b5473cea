-- registry, events, alarms, users
create table settings (key text primary key, value text not null);

create table sites (
  id text primary key,
  name text not null,
  kind text not null default 'hospital',
  region_code text not null,
  city_code text not null,
  province_code text not null,
  address text,
  lat double precision,
  lng double precision,
  created_at timestamptz not null default now()
);
create index sites_region on sites (region_code);
create index sites_city on sites (city_code);
create index sites_province on sites (province_code);

create table devices (
  id text primary key,
  family text not null,
  site_id text not null references sites (id),
  model text,
  building text,
  floor text,
  zone text,
  heartbeat_sec integer not null,
  secret_hash text not null,
  disabled boolean not null default false,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz,
  bad_messages integer not null default 0,
  last_bad_reason text,
  last_bad_at timestamptz
);
create index devices_site on devices (site_id);

create table device_events (
  device_id text not null,
  event_id text not null,
  type text not null,
  ts timestamptz not null,
  received_at timestamptz not null,
  data jsonb not null,
  primary key (device_id, event_id)
);
create index device_events_received on device_events (received_at);

create table bad_messages (
  id bigserial primary key,
  device_id text not null,
  topic text not null,
  reason text not null,
  size integer not null,
  received_at timestamptz not null
);
create index bad_messages_device on bad_messages (device_id, received_at desc);

create table telemetry (
  device_id text not null,
  ts timestamptz not null,
  port integer,
  metrics jsonb not null
);
create index telemetry_device_ts on telemetry (device_id, ts);

create table alarms (
  id text primary key,
  device_id text not null,
  site_id text not null,
  region_code text not null,
  family text not null,
  type text not null,
  source_key text not null,
  status text not null,
  count integer not null,
  location text not null,
  data jsonb not null,
  raised_at timestamptz not null,
  last_seen_at timestamptz not null
);
-- one open alarm per device and source: repeats update it, even when they arrive together
create unique index alarms_open_source on alarms (device_id, source_key) where status <> 'closed';
create index alarms_site on alarms (site_id, raised_at desc);

create table users (
  id text primary key,
  username text not null unique,
  password_hash text not null,
  role text not null,
  region_code text,
  site_ids jsonb not null default '[]',
  created_at timestamptz not null default now()
);
