-- 021 cluster leases: which node of a cluster holds a piece of work (the scheduled jobs), until when
create table cluster_leases (
  name text primary key,
  node text not null,
  expires_at timestamptz not null
);
