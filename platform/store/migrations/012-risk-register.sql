-- the risk register: each institution's risk points (一院一清单)
create table risk_points (
  id text primary key,
  site_id text not null references sites (id),
  region_code text not null,
  place text not null,
  hazard_source text not null,
  category text not null,
  likelihood integer not null check (likelihood between 1 and 5),
  severity integer not null check (severity between 1 and 5),
  level text not null,
  controls text not null,
  responsible jsonb not null,
  review_by date not null,
  created_at timestamptz not null,
  created_by text not null,
  updated_at timestamptz not null,
  updated_by text not null,
  retired_at timestamptz,
  retired_by text,
  retired_note text
);
create index risk_points_site on risk_points (site_id) where retired_at is null;
