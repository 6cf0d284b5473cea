// Leases of a cluster's work, kept in the database all nodes share; its clock (now()) is the one clock they agree on.
import type { Queryable } from './executor.js';

export class LeaseStore {
  constructor(private readonly db: Queryable) {}

  /** Takes or renews the lease `name` for `node` for `ttlMs`: true when `node` holds it now (it did, or it was free or run out). */
  async claim(name: string, node: string, ttlMs: number): Promise<boolean> {
    return (await this.claimAll([name], node, ttlMs)).has(name);
  }

  /** claim() of several leases in one statement (a node's round renews all it holds at once): those `node` holds now. */
  async claimAll(names: readonly string[], node: string, ttlMs: number): Promise<Set<string>> {
    if (names.length === 0) return new Set();
    const rows = await this.db.query<{ name: string }>(
      `insert into cluster_leases (name, node, expires_at)
       select name, $2, now() + make_interval(secs => $3::double precision / 1000) from unnest($1::text[]) as name
       on conflict (name) do update set node = excluded.node, expires_at = excluded.expires_at
       where cluster_leases.node = excluded.node or cluster_leases.expires_at < now()
       returning name`, [[...names], node, ttlMs]);
    return new Set(rows.map((r) => r.name));
  }

  /** Gives the lease up (a node stopping): another node takes it at its next claim instead of after the lease runs out. */
  async release(name: string, node: string): Promise<void> {
    await this.db.query('delete from cluster_leases where name = $1 and node = $2', [name, node]);
  }

  /** The leases not run out whose name starts with `prefix`, and their holders. */
  async live(prefix: string): Promise<{ name: string; node: string }[]> {
    return this.db.query<{ name: string; node: string }>(
      `select name, node from cluster_leases where starts_with(name, $1) and expires_at >= now() order by name`, [prefix]);
  }

  async holder(name: string): Promise<string | null> {
    const rows = await this.db.query<{ node: string }>('select node from cluster_leases where name = $1 and expires_at >= now()', [name]);
    return rows[0]?.node ?? null;
  }
}
