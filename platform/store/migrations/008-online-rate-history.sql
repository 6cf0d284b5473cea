-- online rate history
-- sampled every 15 minutes: the month's online rate is sum(online) / sum(devices) over its days
create table online_daily (
  site_id text not null references sites (id) on delete cascade,
  day date not null,
  samples integer not null,
  device_samples bigint not null,
  online_samples bigint not null,
  primary key (site_id, day)
);
create index online_daily_day on online_daily (day);
