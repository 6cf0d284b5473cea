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

export function formatRate(rate: number): string {
  return new Intl.NumberFormat(lang.value, { style: 'percent', maximumFractionDigits: 1 }).format(rate);
}
