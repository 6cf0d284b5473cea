// SQL migrations, run in order on PGlite and PostgreSQL alike. Append; never edit a released one.
import type { SqlExecutor } from './executor.js';
import { builtInRuleTextsSql } from './rule-texts.js';
import { defaultCheckTemplatesSql } from './check-defaults.js';

export const migrations: { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'registry, events, alarms, users',
    sql: `
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
    `,
  },
  {
    version: 2,
    name: 'rules engine, alarm lifecycle, work orders, hazard tickets, commands',
    sql: `
      alter table sites add column ack_sec integer not null default 60;
      alter table sites add column confirm_sec integer not null default 180;
      alter table sites add column escalate_sec integer not null default 300;
      alter table sites add column webhook_url text;
      alter table sites add column authorised_badges jsonb not null default '[]';

      alter table devices add column false_alarms integer not null default 0;

      alter table alarms add column rule_id text not null default 'smoke.alarm';
      alter table alarms add column zone text;
      alter table alarms add column likely_fire boolean not null default false;
      alter table alarms add column outcome text;
      alter table alarms add column acknowledged_at timestamptz;
      alter table alarms add column acknowledged_by text;
      alter table alarms add column confirmed_at timestamptz;
      alter table alarms add column confirmed_by text;
      alter table alarms add column closed_at timestamptz;
      alter table alarms add column closed_by text;
      alter table alarms add column recovered_at timestamptz;
      alter table alarms add column ack_overdue_at timestamptz;
      alter table alarms add column confirm_overdue_at timestamptz;
      alter table alarms add column escalated_at timestamptz;
      alter table alarms add column note text;
      drop index alarms_open_source;
      -- one open alarm per rule and subject (device + source): repeats update it, even when they arrive together
      create unique index alarms_open_subject on alarms (rule_id, source_key) where status <> 'closed';
      create index alarms_open on alarms (status) where status <> 'closed';

      create table workorders (
        id text primary key,
        rule_id text not null,
        subject text not null,
        device_id text not null,
        site_id text not null,
        region_code text not null,
        category text not null,
        state text not null,
        count integer not null,
        data jsonb not null,
        opened_at timestamptz not null,
        last_seen_at timestamptz not null,
        assigned_to text,
        assigned_at timestamptz,
        fixed_at timestamptz,
        fixed_by text,
        verified_at timestamptz,
        verified_by text,
        recovered_at timestamptz,
        repair_seconds integer,
        note text
      );
      create unique index workorders_open_subject on workorders (rule_id, subject) where state <> 'verified';
      create index workorders_site on workorders (site_id, opened_at desc);

      create table tickets (
        id text primary key,
        rule_id text,
        subject text,
        source text not null,
        device_id text,
        site_id text not null,
        region_code text not null,
        title text not null,
        description text not null default '',
        location text not null default '',
        level text not null,
        grade text not null,
        state text not null,
        count integer not null,
        data jsonb not null,
        reported_at timestamptz not null,
        reported_by text not null,
        last_seen_at timestamptz not null,
        owner text,
        funds text,
        measures text,
        deadline timestamptz,
        contingency_plan text,
        recovered_at timestamptz,
        overdue_at timestamptz,
        escalated_at timestamptz,
        closed_at timestamptz,
        updated_at timestamptz not null
      );
      create unique index tickets_open_subject on tickets (rule_id, subject) where state <> 'closed' and rule_id is not null;
      create index tickets_site on tickets (site_id, reported_at desc);

      create table ticket_events (
        id bigserial primary key,
        ticket_id text not null references tickets (id),
        at timestamptz not null,
        actor text not null,
        action text not null,
        from_state text,
        to_state text,
        note text,
        data jsonb not null default '{}'
      );
      create index ticket_events_ticket on ticket_events (ticket_id, id);

      create table ticket_photos (
        id text primary key,
        ticket_id text not null references tickets (id),
        content_type text not null,
        bytes bytea not null,
        uploaded_by text not null,
        uploaded_at timestamptz not null
      );
      create index ticket_photos_ticket on ticket_photos (ticket_id);

      create table commands (
        id text primary key,
        device_id text not null,
        rule_id text,
        subject text,
        type text not null,
        payload jsonb not null,
        state text not null,
        attempts integer not null,
        max_attempts integer not null,
        timeout_sec double precision not null,
        created_at timestamptz not null,
        sent_at timestamptz,
        acked_at timestamptz,
        ok boolean,
        message text
      );
      create index commands_pending on commands (state) where state = 'pending';
      create index commands_device on commands (device_id, created_at desc);

      create table rules (
        id text not null,
        version integer not null,
        definition jsonb not null,
        changed_by text not null,
        changed_at timestamptz not null,
        primary key (id, version)
      );

      create table special_periods (
        name text primary key,
        label text not null,
        starts_at timestamptz not null,
        ends_at timestamptz not null
      );

      create table engine_state (
        id integer primary key,
        state text not null,
        saved_at timestamptz not null
      );
    `,
  },
  {
    version: 3,
    name: 'telemetry history: rollups and retention',
    sql: `
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
    `,
  },
  {
    version: 4,
    name: 'inspections; indexes for the overview and monthly report',
    sql: `
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
    `,
  },
  {
    version: 5,
    name: 'sessions, refresh tokens, audit log',
    sql: `
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
    `,
  },
  {
    version: 6,
    name: 'devices: messages dropped over the rate cap',
    sql: `
      alter table devices add column throttled integer not null default 0;
      alter table devices add column last_throttled_at timestamptz;
    `,
  },
  {
    version: 7,
    name: 'API tokens for integrations',
    sql: `
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
    `,
  },
  {
    version: 8,
    name: 'online rate history',
    sql: `
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
    `,
  },
  {
    version: 9,
    name: 'users can be disabled',
    sql: `
      -- someone who left: kept (the audit log names them) but refused at sign-in and on every token
      alter table users add column disabled boolean not null default false;
    `,
  },
  {
    version: 10,
    name: 'built-in rules in both languages; a rule-made ticket\'s English title',
    sql: `
      -- a rule-made ticket carries the rule's English words for an English viewer; what people wrote stays as written
      alter table tickets add column title_en text;
      alter table tickets add column description_en text;
      ${builtInRuleTextsSql}
    `,
  },
  {
    version: 11,
    name: 'institutions as the seeds describe them: kind codes, grade, ownership, key unit, high risk, beds, responsible persons, public token',
    sql: `
      -- the kinds stored before (hospital ...) mapped to today's codes (contracts/duties.ts); anything unknown is other
      update sites set kind = case kind
        when 'hospital' then 'general_hospital'
        when 'township_health_center' then 'primary_care'
        when 'community_health_center' then 'primary_care'
        else kind end;
      update sites set kind = 'other' where kind not in
        ('general_hospital', 'tcm_hospital', 'maternal_child', 'specialty_hospital', 'primary_care', 'private_hospital', 'elderly_care', 'childcare', 'other');
      alter table sites alter column kind set default 'general_hospital';
      alter table sites add column grade text not null default 'ungraded';
      alter table sites add column ownership text not null default 'public';
      alter table sites add column key_unit boolean not null default false;
      alter table sites add column high_risk boolean not null default false;
      alter table sites add column beds integer;
      alter table sites add column fire_safety_responsible jsonb;
      alter table sites add column fire_safety_manager jsonb;
      -- the unguessable part of the institution's public page (两公开); rotated by an admin
      alter table sites add column public_token text not null default replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', '');
      create unique index sites_public_token on sites (public_token);
    `,
  },
  {
    version: 12,
    name: '日周月 checks: versioned checklists, checks with their items and photos, rhythms per institution, missed checks',
    sql: `
      create table check_templates (
        id text not null,
        version integer not null,
        institution_kind text not null,
        rhythm text not null check (rhythm in ('daily', 'weekly', 'monthly')),
        items jsonb not null,
        created_by text not null,
        created_at timestamptz not null,
        primary key (id, version)
      );
      ${defaultCheckTemplatesSql}

      create table checks (
        id text primary key,
        site_id text not null references sites (id),
        region_code text not null,
        template_id text not null,
        template_version integer not null,
        rhythm text not null check (rhythm in ('daily', 'weekly', 'monthly')),
        period text not null,
        performed_at timestamptz not null,
        performed_by text not null,
        items jsonb not null,
        passed integer not null,
        failed integer not null,
        fixed_on_spot integer not null,
        hazards_opened integer not null,
        created_at timestamptz not null,
        foreign key (template_id, template_version) references check_templates (id, version)
      );
      create index checks_site on checks (site_id, rhythm, period);
      create index checks_performed on checks (performed_at);

      create table check_photos (
        id text primary key,
        check_id text not null references checks (id),
        item_code text not null,
        content_type text not null,
        bytes bytea not null,
        uploaded_by text not null,
        uploaded_at timestamptz not null
      );
      create index check_photos_check on check_photos (check_id);

      -- how many checks of each rhythm an institution owes per period; no row: one of each
      create table check_rhythms (
        site_id text primary key references sites (id),
        daily integer not null,
        weekly integer not null,
        monthly integer not null
      );

      create table missed_checks (
        site_id text not null references sites (id),
        rhythm text not null,
        period text not null,
        expected integer not null,
        done integer not null,
        flagged_at timestamptz not null,
        primary key (site_id, rhythm, period)
      );
      create index missed_checks_flagged on missed_checks (flagged_at);
    `,
  },
];

/** Applies the migrations not applied yet (up to version `until`, for a test that builds an older database). */
export async function migrate(db: SqlExecutor, until = Infinity): Promise<number[]> {
  await db.exec('create table if not exists schema_migrations (version integer primary key, name text not null, applied_at timestamptz not null default now())');
  const done = new Set((await db.query<{ version: number }>('select version from schema_migrations')).map((r) => r.version));
  const applied: number[] = [];
  for (const m of migrations) {
    if (done.has(m.version) || m.version > until) continue;
    await db.transaction(async (tx) => {
      for (const statement of splitStatements(m.sql)) await tx.query(statement);
      await tx.query('insert into schema_migrations (version, name) values ($1, $2)', [m.version, m.name]);
    });
    applied.push(m.version);
  }
  return applied;
}

/** A script's statements, split at the semicolons outside '...' strings and $tag$...$tag$ bodies; -- comments dropped. */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let current = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    let end = i + 1;
    if (c === '-' && sql[i + 1] === '-') {
      const eol = sql.indexOf('\n', i);
      i = eol < 0 ? sql.length : eol;
      continue;
    }
    if (c === "'") {
      while (end < sql.length && !(sql[end] === "'" && sql[end + 1] !== "'")) end += sql[end] === "'" ? 2 : 1;
      end = Math.min(sql.length, end + 1);
    } else if (c === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i, i + 64))?.[0];
      if (tag) {
        const close = sql.indexOf(tag, i + tag.length);
        end = close < 0 ? sql.length : close + tag.length;
      }
    } else if (c === ';') {
      statements.push(current);
      current = '';
      i = end;
      continue;
    }
    current += sql.slice(i, end);
    i = end;
  }
  statements.push(current);
  return statements.map((s) => s.trim()).filter(Boolean);
}
