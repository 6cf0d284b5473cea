-- devices: messages dropped over the rate cap
alter table devices add column throttled integer not null default 0;
alter table devices add column last_throttled_at timestamptz;
