// Text a request carries must be text PostgreSQL can store: no NUL, no lone UTF-16 surrogate. Refused
// here for params, query and JSON bodies, with a 400 naming the field, rather than failing in a query.
import type { FastifyInstance } from 'fastify';
import { LONE_SURROGATE, NUL } from '../../contracts/device-api.js';
import { badField, type FieldProblem } from '../errors.js';


function problemOf(text: string): string | null {
  if (NUL.test(text)) return 'contains a NUL character (\\u0000), which text may not hold';
  if (LONE_SURROGATE.test(text)) return 'contains a lone UTF-16 surrogate, which is not Unicode text';
  return null;
}

/** A path segment as a message can show it: the bad characters escaped. */
function shown(segment: string): string {
  return segment.replace(/\u0000|[\ud800-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The first string (or object key) in `value` that is not storable text, named from `root` (`body`,
 * `body.siteIds.1`); null when there is none. Iterative, so a deeply nested body cannot overflow the stack.
 */
export function badText(root: string, value: unknown): FieldProblem | null {
  const stack: [string, unknown][] = [[root, value]];
  while (stack.length) {
    const [path, v] = stack.pop()!;
    if (typeof v === 'string') {
      const problem = problemOf(v);
      if (problem) return { field: path, message: problem };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([`${path}.${i}`, v[i]]);
    } else if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v)) {
      const entries = Object.entries(v);
      for (const [key] of entries) {
        const problem = problemOf(key);
        if (problem) return { field: `${path}.${shown(key)}`, message: `this field's name ${problem}` };
      }
      for (let i = entries.length - 1; i >= 0; i--) stack.push([`${path}.${entries[i]![0]}`, entries[i]![1]]);
    }
  }
  return null;
}

/** Refuses, before validation, a request whose params, query or body (raw uploads aside) hold text that is no text. */
export function refuseBadText(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const problem = badText('params', request.params) ?? badText('querystring', request.query) ?? badText('body', request.body);
    if (problem) throw badField(problem.field, problem.message);
  });
}
