// Row helpers shared by the store modules: both adapters return timestamptz as Date and jsonb as objects.
export type Row = Record<string, unknown>;

export const iso = (v: unknown): string => (v instanceof Date ? v : new Date(String(v))).toISOString();
export const isoOrNull = (v: unknown): string | null => (v == null ? null : iso(v));
export const textOrNull = (v: unknown): string | null => (v == null ? null : String(v));
export const when = (ms: number): string => new Date(ms).toISOString();

/** A device (alias `d`) is online when it was heard from within 3 heartbeat intervals. */
export const ONLINE_SQL = `(d.last_seen_at is not null and d.last_seen_at > now() - make_interval(secs => d.heartbeat_sec * 3))`;

/** Builds `where` clauses with numbered parameters. */
export class Where {
  readonly clauses: string[] = [];
  constructor(readonly params: unknown[] = []) {}
  add(sqlWithPlaceholders: string, ...values: unknown[]): this {
    let text = sqlWithPlaceholders;
    for (const v of values) {
      this.params.push(v);
      text = text.replace('?', `$${this.params.length}`);
    }
    this.clauses.push(text);
    return this;
  }
  /** Appends a parameter and returns its placeholder (for limit/offset). */
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }
  toString(): string {
    return this.clauses.length ? `where ${this.clauses.join(' and ')}` : '';
  }
}
