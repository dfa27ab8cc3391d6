const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * "just now", "45 s ago", "2 min ago", "3 h ago", "5 d ago"; "never" for no time; the date
 * itself beyond 30 days. A time slightly ahead of the browser's clock counts as "just now".
 */
export function formatRelative(iso: string | null | undefined, now: Date | number = Date.now()): string {
  if (!iso) return 'never';
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return 'unknown';
  const diff = (typeof now === 'number' ? now : now.getTime()) - then;
  if (diff < -MINUTE) return `in ${formatSpan(-diff)}`;
  if (diff < 10 * SECOND) return 'just now';
  if (diff >= 30 * DAY) return new Date(then).toISOString().slice(0, 10);
  return `${formatSpan(diff)} ago`;
}

function formatSpan(ms: number): string {
  if (ms < MINUTE) return `${Math.floor(ms / SECOND)} s`;
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)} min`;
  if (ms < DAY) return `${Math.floor(ms / HOUR)} h`;
  return `${Math.floor(ms / DAY)} d`;
}

/** A length of time in words: "45 s", "12 min", "3 h", "5 d". */
export function formatDuration(ms: number): string {
  return formatSpan(Math.max(0, ms));
}

/** The full local date and time, for title attributes and tooltips. */
export function formatAbsolute(iso: string | null | undefined): string {
  if (!iso) return 'never';
  const then = new Date(iso);
  if (Number.isNaN(then.getTime())) return iso;
  return then.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'long' });
}

/** Milliseconds of an ISO-8601 duration as Java writes them ("PT6M30S", "PT26H", "P7D"); NaN if it is not one. */
export function parseIsoDuration(iso: string | null | undefined): number {
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(iso ?? '');
  if (!match || iso === 'P' || iso === 'PT') return Number.NaN;
  const [, d, h, m, sec] = match;
  return ((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(m ?? 0)) * MINUTE + Number(sec ?? 0) * SECOND;
}

/** An ISO-8601 duration in words: "6 min 30 s", "26 h", "7 d"; the text itself if it is not one. */
export function describeIsoDuration(iso: string | null | undefined): string {
  const ms = parseIsoDuration(iso);
  if (Number.isNaN(ms)) return iso ?? '—';
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, label] of [
    [DAY, 'd'],
    [HOUR, 'h'],
    [MINUTE, 'min'],
    [SECOND, 's'],
  ] as const) {
    const n = Math.floor(rest / unit);
    if (n > 0) parts.push(`${n} ${label}`);
    rest -= n * unit;
  }
  return parts.length === 0 ? '0 s' : parts.slice(0, 2).join(' ');
}
