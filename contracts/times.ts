// Times a caller may give: plausible ones only. A year like 33658 or 0 is valid ISO-8601 and a valid JS Date,
// but PostgreSQL cannot store it and no fire-safety record means it, so it is a 400 at the edge.
import { z } from 'zod';
import { MAX_TS as LATEST, MIN_TS as EARLIEST } from './device-api.js';

const PLAUSIBLE = 'between 2000-01-01 and 2100-01-01';

const inRange = (ms: number) => ms >= EARLIEST && ms < LATEST;
const IsoWithOffset = z.iso.datetime({ offset: true });

/** An ISO-8601 time with its offset, between 2000 and 2100; kept as the text given. */
export const PlausibleIso = IsoWithOffset.refine((text) => inRange(Date.parse(text)), `must be a time ${PLAUSIBLE}`);

/** A query parameter: epoch milliseconds or ISO-8601 with offset, between 2000 and 2100; parsed to epoch ms. */
export const TimeQuery = z.string()
  .transform((text, ctx) => {
    const ms = /^\d{1,16}$/.test(text) ? Number(text) : IsoWithOffset.safeParse(text).success ? Date.parse(text) : NaN;
    if (inRange(ms)) return ms;
    ctx.addIssue({ code: 'custom', message: `epoch milliseconds or ISO-8601 with offset, ${PLAUSIBLE}` });
    return z.NEVER;
  })
  .describe(`epoch milliseconds or ISO-8601 with offset, ${PLAUSIBLE}`);

/** A calendar day as YYYY-MM-DD (China time where it matters), a real one between 2000 and 2100. */
export const PlausibleDay = z.string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine((text) => {
    const ms = Date.parse(`${text}T00:00:00Z`);
    return inRange(ms) && new Date(ms).toISOString().slice(0, 10) === text;
  }, `must be a real day ${PLAUSIBLE}`);
