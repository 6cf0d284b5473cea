-- telemetry history: rollups and retention
-- retention deletes by time: a BRIN index is tiny and cheap to keep up on an append-only table
create index telemetry_ts on telemetry using brin (ts);

create table telemetry_rollups (
  resolution text not null,
  device_id text not null,
  metric text not null,
  port integer not null,
  bucket timestamptz not null,
  min double precision not null,
  max double precision not null,
  sum double precision not null,
  count integer not null,
  last double precision not null,
  last_ts timestamptz not null,
  primary key (resolution, device_id, metric, port, bucket)
);
create index telemetry_rollups_bucket on telemetry_rollups using brin (bucket);
