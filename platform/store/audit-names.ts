// What an audit entry's target names, by name: "/api/tickets/7f3c…/escalate" is the ticket "配电室堆放可燃物" of
// 蛟河市人民医院, "/api/users/u-1" is the user jiaohe-safety. One query per kind of record for a page of entries.
import type { Queryable } from './executor.js';

export const auditObjectKinds = ['ticket', 'alarm', 'workorder', 'device', 'user', 'token', 'site', 'rule', 'period'] as const;
export type AuditObjectKind = (typeof auditObjectKinds)[number];

export interface AuditObject {
  kind: AuditObjectKind;
  id: string;
  /** The record's name as people know it (a ticket's title, a username, a device id); null when it is gone. */
  name: string | null;
  /** A rule's English name, when it has one. */
  nameEn: string | null;
  /** The institution the record belongs to, when it belongs to one. */
  siteName: string | null;
}

const collections: Record<string, AuditObjectKind> = {
  tickets: 'ticket', alarms: 'alarm', workorders: 'workorder', devices: 'device', users: 'user', tokens: 'token', sites: 'site', rules: 'rule', periods: 'period',
};

/** The record a target path names ("/api/tickets/:id/..."), or null (a sign-out, an import). */
export function auditObjectOf(target: string): { kind: AuditObjectKind; id: string } | null {
  const m = /^\/api\/([a-z]+)\/([^/]+)/.exec(target);
  const kind = m ? collections[m[1]!] : undefined;
  if (!m || !kind || m[2] === 'import') return null;
  let id: string;
  try {
    id = decodeURIComponent(m[2]!);
  } catch {
    return null;
  }
  return { kind, id };
}

type Names = Map<string, { name: string | null; nameEn?: string | null; siteName?: string | null }>;

const lookups: Record<AuditObjectKind, string | null> = {
  ticket: 'select t.id, t.title as name, t.title_en as name_en, s.name as site_name from tickets t join sites s on s.id = t.site_id where t.id = any($1::text[])',
  alarm: `select a.id, a.device_id || coalesce(nullif(' ' || a.location, ' '), '') as name, s.name as site_name
          from alarms a join sites s on s.id = a.site_id where a.id = any($1::text[])`,
  workorder: 'select w.id, w.device_id as name, s.name as site_name from workorders w join sites s on s.id = w.site_id where w.id = any($1::text[])',
  device: 'select d.id, d.id as name, s.name as site_name from devices d join sites s on s.id = d.site_id where d.id = any($1::text[])',
  user: 'select id, username as name from users where id = any($1::text[])',
  token: 'select id, name from api_tokens where id = any($1::text[])',
  site: 'select id, name from sites where id = any($1::text[])',
  rule: `select distinct on (id) id, definition->>'name' as name, definition->>'nameEn' as name_en from rules where id = any($1::text[]) order by id, version desc`,
  period: null,
};

/** Names the records the targets point at, in as many queries as there are kinds among them. */
export async function nameAuditObjects(db: Queryable, targets: readonly string[]): Promise<Map<string, AuditObject | null>> {
  const objects = new Map(targets.map((t) => [t, auditObjectOf(t)]));
  const ids = new Map<AuditObjectKind, Set<string>>();
  for (const o of objects.values()) if (o) (ids.get(o.kind) ?? ids.set(o.kind, new Set()).get(o.kind)!).add(o.id);
  const names = new Map<AuditObjectKind, Names>();
  await Promise.all([...ids].map(async ([kind, set]) => {
    const sql = lookups[kind];
    const found: Names = new Map();
    if (sql) {
      for (const r of await db.query(sql, [[...set]])) {
        found.set(String(r.id), { name: r.name == null ? null : String(r.name), nameEn: r.name_en == null ? null : String(r.name_en), siteName: r.site_name == null ? null : String(r.site_name) });
      }
    } else {
      for (const id of set) found.set(id, { name: id });
    }
    names.set(kind, found);
  }));
  return new Map([...objects].map(([target, o]) => {
    if (!o) return [target, null];
    const n = names.get(o.kind)?.get(o.id);
    return [target, { ...o, name: n?.name ?? null, nameEn: n?.nameEn ?? null, siteName: n?.siteName ?? null }];
  }));
}
