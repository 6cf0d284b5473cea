-- sessions, refresh tokens, audit log
-- a sign-in: access tokens carry its id, so revoking it (logout, a reused refresh token) refuses them at once
create table sessions (
  id text primary key,
  user_id text not null references users (id) on delete cascade,
  created_at timestamptz not null,
  revoked_at timestamptz
);
create index sessions_user on sessions (user_id);

-- single use: a refresh marks its token used and issues the next one in the same session
create table refresh_tokens (
  token_hash text primary key,
  session_id text not null references sessions (id) on delete cascade,
  expires_at timestamptz not null,
  used_at timestamptz
);
create index refresh_tokens_session on refresh_tokens (session_id);

-- every change a person made through the API: who, what, when, from where
create table audit_log (
  id bigserial primary key,
  at timestamptz not null,
  actor text not null,
  actor_id text,
  action text not null,
  target text not null,
  details jsonb not null default '{}',
  ip text,
  region_codes text[] not null default '{}'
);
create index audit_log_at on audit_log (at desc);
