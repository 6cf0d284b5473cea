-- inspections; indexes for the overview and monthly report
create table inspections (
  id text primary key,
  site_id text not null references sites (id),
  region_code text not null,
  kind text not null check (kind in ('daily', 'weekly', 'monthly')),
  inspector text not null,
  performed_at timestamptz not null,
  findings text not null default '',
  hazards_found integer not null default 0 check (hazards_found >= 0),
  created_by text not null,
  created_at timestamptz not null
);
create index inspections_site on inspections (site_id, performed_at desc);
create index inspections_performed on inspections (performed_at);

-- trends and the monthly report count by time across a whole region
create index alarms_raised on alarms (raised_at);
create index tickets_reported on tickets (reported_at);
create index tickets_closed on tickets (closed_at) where closed_at is not null;
create index tickets_open on tickets (site_id) where state <> 'closed';
