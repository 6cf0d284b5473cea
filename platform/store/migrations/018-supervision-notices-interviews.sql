-- a bureau's 通报 (notices) and 约谈 (interviews), each with the institutions it concerns and their acknowledgements
create table supervision_records (
  id text primary key,
  kind text not null check (kind in ('notice', 'interview')),
  region_code text not null,
  issued_by text not null,
  issued_at timestamptz not null,
  title text not null,
  findings text not null,
  interview jsonb
);
create index supervision_records_issued on supervision_records (issued_at desc);

create table supervision_targets (
  record_id text not null references supervision_records (id),
  site_id text not null references sites (id),
  acknowledged_at timestamptz,
  acknowledged_by text,
  primary key (record_id, site_id)
);
create index supervision_targets_site on supervision_targets (site_id);
