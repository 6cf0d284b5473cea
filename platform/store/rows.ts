// Row helpers shared by the store modules: both adapters return timestamptz as Date and jsonb as objects.
export type Row = Record<string, unknown>;

export const iso = (v: unknown): string => (v instanceof Date ? v : new Date(String(v))).toISOString();
export const isoOrNull = (v: unknown): string | null => (v == null ? null : iso(v));
export const textOrNull = (v: unknown): string | null => (v == null ? null : String(v));
export const when = (ms: number): string => new Date(ms).toISOString();
/**
 * Timestamps in bulk (arrays of hundreds) go to the database as epoch milliseconds in an `int8[]` parameter and
 * become timestamptz in SQL through `fromEpochMs`: PGlite's C library parses the fractional seconds of ISO text in
 * emulated 128-bit floats, which made a timestamp three times as dear to pass as an integer.
 */
export const epochMs = (ms: number): number => Math.round(ms);
export const fromEpochMs = (column: string): string => `to_timestamp(${column}::float8 / 1000)`;

/** How a column of `bulkRows` is passed: an array parameter of that type, or for jsonb one JSON array (`JSON.stringify(values)`). */
export type BulkType = 'text' | 'int' | 'int8' | 'float8' | 'boolean' | 'jsonb';

/**
 * The rows of a bulk statement passed column by column, the n-th column in parameter $n: `rows from` one `unnest` per
 * array and one `jsonb_array_elements` per JSON array, whose documents then need no escaping into an array literal.
 */
export function bulkRows(alias: string, columns: Record<string, BulkType>): string {
  const sources = Object.entries(columns).map(([, type], i) => (type === 'jsonb' ? `jsonb_array_elements($${i + 1}::jsonb)` : `unnest($${i + 1}::${type}[])`));
  return `rows from (${sources.join(', ')}) as ${alias} (${Object.keys(columns).join(', ')})`;
}

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
