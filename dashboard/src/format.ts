import { lang } from './i18n';

/** Clock time for today's events, date and time for older ones: the duty room reads "when" at a glance. */
export function formatTime(iso: string, now = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const sameDay = date.toDateString() === now.toDateString();
  return new Intl.DateTimeFormat(lang.value, {
    hour12: false,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    ...(sameDay ? {} : { month: '2-digit', day: '2-digit' }),
  }).format(date);
}

export function formatCount(value: number): string {
  return new Intl.NumberFormat(lang.value).format(value);
}

export function formatRate(rate: number | null): string {
  // null: nothing to divide by (no devices, no confirmed alarm), which is not 0%
  if (rate === null) return '—';
  return new Intl.NumberFormat(lang.value, { style: 'percent', maximumFractionDigits: 1 }).format(rate);
}

/** A span of time as the duty room reads it: "03:07", "1:02:09", "2天 03:04:05" / "2d 03:04:05". */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  const clock = h > 0 || days > 0 ? `${days > 0 ? two(h) : h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
  if (days === 0) return clock;
  return lang.value === 'en' ? `${days}d ${clock}` : `${days}天 ${clock}`;
}

/** Date and time, always with the date: for records that may be days old. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(lang.value, {
    hour12: false,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).format(date);
}

/** Where a device is installed: building / floor / zone, as far as they are known. */
export function deviceLocation(d: { building: string | null; floor: string | null; zone: string | null }): string {
  return [d.building, d.floor, d.zone].filter((x): x is string => !!x).join(' / ');
}
