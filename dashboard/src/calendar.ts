// The institutions' calendar (Asia/Shanghai, UTC+8 all year, as the server's reports/calendar.ts): which day and which
// month it is for reports, checks and records, whatever zone the browser is set to.
const OFFSET_MS = 8 * 3_600_000;

/** YYYY-MM-DD on the institutions' calendar. */
export const localDate = (ms = Date.now()): string => new Date(ms + OFFSET_MS).toISOString().slice(0, 10);

/** YYYY-MM on the institutions' calendar. */
export const localMonth = (ms = Date.now()): string => localDate(ms).slice(0, 7);
