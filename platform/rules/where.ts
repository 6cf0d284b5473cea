// Tests on a value: an event's `where` filters, and the comparisons metric predicates share.
import type { FieldFilter } from '../../contracts/rules.js';

type Comparison = '>' | '>=' | '<' | '<=' | '==' | '!=';

/** A missing value or one of another type than `expected` never passes, not even `!=`. */
export function compare(actual: unknown, op: Comparison, expected: number | string | boolean): boolean {
  if (typeof actual !== typeof expected) return false;
  const a = actual as number | string | boolean;
  switch (op) {
    case '==': return a === expected;
    case '!=': return a !== expected;
    case '>': return a > expected;
    case '>=': return a >= expected;
    case '<': return a < expected;
    case '<=': return a <= expected;
  }
}

/**
 * Every filter passes. `authorised` is the site's badge list, asked for only by distinct_lt;
 * an empty list means any badge counts.
 */
export function passesWhere(where: Record<string, FieldFilter>, data: Record<string, unknown>, authorised: () => readonly string[]): boolean {
  for (const field in where) {
    const filter = where[field]!;
    const value = data[field];
    switch (filter.op) {
      case 'distinct_lt':
        if (distinctEntries(value, filter.authorisedOnly ? authorised() : []) >= filter.value) return false;
        break;
      case 'in':
        if ((typeof value !== 'number' && typeof value !== 'string') || !filter.value.includes(value)) return false;
        break;
      default:
        if (!compare(value, filter.op, filter.value)) return false;
    }
  }
  return true;
}

const listSets = new WeakMap<readonly string[], Set<string>>();

/** Distinct string or number entries of an array; a missing or non-array value has none. */
function distinctEntries(value: unknown, authorised: readonly string[]): number {
  if (!Array.isArray(value)) return 0;
  let allowed = listSets.get(authorised);
  if (!allowed) listSets.set(authorised, (allowed = new Set(authorised)));
  const seen = new Set<string>();
  for (const entry of value) {
    if (typeof entry !== 'string' && typeof entry !== 'number') continue;
    const s = String(entry);
    if (allowed.size === 0 || allowed.has(s)) seen.add(s);
  }
  return seen.size;
}
