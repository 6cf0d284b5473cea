-- API tokens for integrations
-- an integration's bearer token: fnt_<id>_<secret>; only a hash of the secret is kept
create table api_tokens (
  id text primary key,
  name text not null,
  secret_hash text not null,
  role text not null,
  region_code text,
  site_ids text[] not null default '{}',
  read_only boolean not null default true,
  created_by text not null,
  created_at timestamptz not null,
  expires_at timestamptz,
  revoked_at timestamptz,
  last_used_at timestamptz
);
