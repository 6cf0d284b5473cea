// One paging contract for every list: `limit` and `offset` in the query, the page in the body (a JSON array),
// and the number of items matching the filters, all pages together, in the `X-Total-Count` header.
import type { FastifyReply } from 'fastify';
import { z } from 'zod';

export const TOTAL_HEADER = 'x-total-count';

/** `limit` (1..max, default `defaultLimit`) and `offset` (from 0) of a list's query. */
export function paging(defaultLimit: number, max: number) {
  return {
    limit: z.coerce.number().int().min(1).max(max).default(defaultLimit)
      .describe(`items in this page (at most ${max}); the total of all pages is in the X-Total-Count header`),
    offset: z.coerce.number().int().min(0).max(100_000_000).default(0).describe('items to skip (the list is in a fixed order)'),
  };
}

/** Sends `items` as the page and `total` in X-Total-Count. */
export function page<T>(reply: FastifyReply, items: T[], total: number): T[] {
  reply.header(TOTAL_HEADER, String(total));
  return items;
}
