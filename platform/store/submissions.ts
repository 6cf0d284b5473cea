// The monthly reports submitted upward: each frozen with its figures, its trail, and the late flags of reports not
// submitted by their due day. Who may see which is decided by the owner (reports/submissions.ts) from the subjects.
import { randomUUID } from 'node:crypto';
import type { MonthlyRow } from '../../contracts/reports.js';
import type { MonthlySubmission, SubmissionLevel, SubmissionState } from '../../contracts/submissions.js';
import type { Queryable } from './executor.js';
import { iso, isoOrNull, textOrNull, when, type Row } from './rows.js';

export interface NewSubmission {
  level: SubmissionLevel;
  subject: string;
  name: string;
  reviewerCode: string | null;
  month: string;
  late: boolean;
  dueDate: string;
  figures: MonthlyRow;
  rows: MonthlyRow[];
  by: string;
  at: number;
}

const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

const SELECT = `select m.*, coalesce((select json_agg(json_build_object('at', e.at, 'actor', e.actor, 'action', e.action, 'note', e.note) order by e.id)
  from monthly_submission_events e where e.submission_id = m.id), '[]') as history from monthly_submissions m`;

function toSubmission(r: Row): MonthlySubmission {
  return {
    id: String(r.id), level: r.level as SubmissionLevel, subject: String(r.subject), name: String(r.name), reviewerCode: textOrNull(r.reviewer_code),
    month: String(r.month), state: r.state as SubmissionState, late: Boolean(r.late), dueDate: String(r.due_date),
    figures: json<MonthlyRow>(r.figures), rows: json<MonthlyRow[]>(r.rows),
    submittedAt: iso(r.submitted_at), submittedBy: String(r.submitted_by), reviewedAt: isoOrNull(r.reviewed_at), reviewedBy: textOrNull(r.reviewed_by),
    returnReason: textOrNull(r.return_reason),
    history: json<{ at: string; actor: string; action: 'submitted' | 'returned' | 'approved'; note: string | null }[]>(r.history).map((h) => ({ ...h, at: iso(h.at) })),
  };
}

export class SubmissionStore {
  constructor(private readonly db: Queryable) {}

  async get(id: string): Promise<MonthlySubmission | null> {
    const rows = await this.db.query(`${SELECT} where m.id = $1`, [id]);
    return rows[0] ? toSubmission(rows[0]) : null;
  }

  /** The reports of `subjects` (of one level) for a month, by subject. */
  async of(level: SubmissionLevel, subjects: readonly string[], month: string): Promise<Map<string, MonthlySubmission>> {
    const rows = await this.db.query(`${SELECT} where m.level = $1 and m.subject = any($2::text[]) and m.month = $3`, [level, [...subjects], month]);
    return new Map(rows.map((r) => [String(r.subject), toSubmission(r)]));
  }

  /** The reports of a level for the months of a year (YYYY), by subject and month: the annual appraisal's. */
  async ofYear(level: SubmissionLevel, subjects: readonly string[], year: string): Promise<MonthlySubmission[]> {
    const rows = await this.db.query(`${SELECT} where m.level = $1 and m.subject = any($2::text[]) and m.month like $3`, [level, [...subjects], `${year}-%`]);
    return rows.map(toSubmission);
  }

  /** A first submission; null when one was stored meanwhile (the unique report per subject and month). */
  async insert(tx: Queryable, s: NewSubmission): Promise<string | null> {
    const id = randomUUID();
    const rows = await tx.query(
      `insert into monthly_submissions (id, level, subject, name, reviewer_code, month, state, late, due_date, figures, rows, submitted_at, submitted_by)
       values ($1, $2, $3, $4, $5, $6, 'submitted', $7, $8, $9, $10, $11, $12)
       on conflict (level, subject, month) do nothing returning id`,
      [id, s.level, s.subject, s.name, s.reviewerCode, s.month, s.late, s.dueDate, JSON.stringify(s.figures), JSON.stringify(s.rows), when(s.at), s.by],
    );
    if (!rows[0]) return null;
    await this.event(tx, id, s.at, s.by, 'submitted', null);
    return id;
  }

  /** A returned report submitted again with fresh figures; false when it is no longer returned. */
  async resubmit(tx: Queryable, id: string, s: Pick<NewSubmission, 'figures' | 'rows' | 'name' | 'by' | 'at'>): Promise<boolean> {
    const rows = await tx.query(
      `update monthly_submissions set state = 'submitted', figures = $2, rows = $3, name = $4, submitted_at = $5, submitted_by = $6, reviewed_at = null, reviewed_by = null
       where id = $1 and state = 'returned' returning id`,
      [id, JSON.stringify(s.figures), JSON.stringify(s.rows), s.name, when(s.at), s.by],
    );
    if (!rows[0]) return false;
    await this.event(tx, id, s.at, s.by, 'submitted', null);
    return true;
  }

  /** Approved or returned (with the reason) from `from`; false when it changed meanwhile. */
  async review(tx: Queryable, id: string, from: SubmissionState, to: SubmissionState, by: string, at: number, note: string | null): Promise<boolean> {
    const rows = await tx.query(
      `update monthly_submissions set state = $3, reviewed_at = $4, reviewed_by = $5, return_reason = case when $3 = 'returned' then $6 else return_reason end
       where id = $1 and state = $2 returning id`,
      [id, from, to, when(at), by, note],
    );
    if (!rows[0]) return false;
    await this.event(tx, id, at, by, to, note);
    return true;
  }

  private async event(tx: Queryable, id: string, at: number, actor: string, action: string, note: string | null): Promise<void> {
    await tx.query('insert into monthly_submission_events (submission_id, at, actor, action, note) values ($1, $2, $3, $4, $5)', [id, when(at), actor, action, note]);
  }

  /** Of `subjects`, those flagged late for the month. */
  async flagged(level: SubmissionLevel, subjects: readonly string[], month: string): Promise<Set<string>> {
    const rows = await this.db.query('select subject from monthly_late_flags where level = $1 and subject = any($2::text[]) and month = $3', [level, [...subjects], month]);
    return new Set(rows.map((r) => String(r.subject)));
  }

  /** Flags the subjects with no report for the month (once each); returns those flagged now. */
  async flagLate(level: SubmissionLevel, subjects: readonly string[], month: string, dueDate: string, at: number): Promise<string[]> {
    const rows = await this.db.query(
      `insert into monthly_late_flags (level, subject, month, due_date, flagged_at)
       select $1, s, $3, $4, $5 from unnest($2::text[]) s
       where not exists (select 1 from monthly_submissions m where m.level = $1 and m.subject = s and m.month = $3)
       on conflict do nothing returning subject`,
      [level, [...subjects], month, dueDate, when(at)],
    );
    return rows.map((r) => String(r.subject));
  }

  /** The region codes of a level holding at least one institution (the summaries owed). */
  async regionsWithInstitutions(level: 'county' | 'city' | 'province'): Promise<string[]> {
    const column = { county: 'region_code', city: 'city_code', province: 'province_code' }[level];
    return (await this.db.query(`select distinct ${column} as code from sites order by 1`)).map((r) => String(r.code));
  }
}
