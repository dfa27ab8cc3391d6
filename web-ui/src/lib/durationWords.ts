/**
 * Durations as people say them ("26 hours", "90 days", "15 minutes", "1 day 2 hours") to and from what the
 * server takes: seconds, a protobuf duration ("93600s") or an ISO-8601 duration ("PT26H"), and for a policy's
 * retention an ISO-8601 period ("P3Y"). The server still checks every value it is sent.
 */

const UNITS: Record<string, number> = {
  s: 1,
  sec: 1,
  secs: 1,
  second: 1,
  seconds: 1,
  m: 60,
  min: 60,
  mins: 60,
  minute: 60,
  minutes: 60,
  h: 3600,
  hr: 3600,
  hrs: 3600,
  hour: 3600,
  hours: 3600,
  d: 86400,
  day: 86400,
  days: 86400,
  w: 604800,
  wk: 604800,
  week: 604800,
  weeks: 604800,
};

const PERIOD_UNITS: Record<string, 'Y' | 'M' | 'D'> = {
  y: 'Y',
  yr: 'Y',
  yrs: 'Y',
  year: 'Y',
  years: 'Y',
  mo: 'M',
  month: 'M',
  months: 'M',
  d: 'D',
  day: 'D',
  days: 'D',
};

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const EXAMPLES = 'e.g. "26 hours", "90 days", "15 minutes" or "1 day 2 hours"';

/** "26 hours" → 93600. Also takes "26h", "1 day, 2 hours", "1 day and 2 hours", "1.5 hours", "PT26H" and "93600s". */
export function parseDurationWords(text: string): Parsed<number> {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === '') return { ok: false, message: `required: ${EXAMPLES}` };
  const iso = parseIso(trimmed.toUpperCase());
  if (iso !== null) return { ok: true, value: iso };
  const parts = trimmed
    .replace(/,|\band\b/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
  // "26h" and "26 h" alike: split a number glued to its unit
  const tokens = parts.flatMap((part) => {
    const glued = /^(\d+(?:\.\d+)?)([a-z]+)$/.exec(part);
    return glued ? [glued[1]!, glued[2]!] : [part];
  });
  if (tokens.length % 2 !== 0)
    return { ok: false, message: `"${text.trim()}" is not a duration: give each number its unit, ${EXAMPLES}` };
  let seconds = 0;
  for (let i = 0; i < tokens.length; i += 2) {
    const amount = Number(tokens[i]);
    const unit = UNITS[tokens[i + 1]!];
    if (!/^\d+(\.\d+)?$/.test(tokens[i]!) || Number.isNaN(amount)) {
      return { ok: false, message: `"${tokens[i]}" is not a number: ${EXAMPLES}` };
    }
    if (unit === undefined) {
      return {
        ok: false,
        message: `"${tokens[i + 1]}" is not a unit of time: use seconds, minutes, hours, days or weeks`,
      };
    }
    seconds += amount * unit;
  }
  if (!Number.isInteger(seconds))
    return { ok: false, message: 'to the second, please (e.g. "90 minutes" rather than "1.51 hours")' };
  return { ok: true, value: seconds };
}

/** 93600 → "26 hours"; 94000 → "1 day 2 hours 6 minutes 40 seconds"; exact, so what is shown is what is sent. */
export function formatDurationWords(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return String(seconds);
  if (seconds === 0) return '0 seconds';
  // whole days read better as days ("90 days"), a day and some hours under two days as hours ("26 hours")
  const units: Array<[number, string]> =
    seconds < 2 * 86400 && seconds % 3600 === 0
      ? [[3600, 'hour']]
      : [
          [86400, 'day'],
          [3600, 'hour'],
          [60, 'minute'],
          [1, 'second'],
        ];
  const parts: string[] = [];
  let rest = seconds;
  for (const [size, name] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n} ${name}${n === 1 ? '' : 's'}`);
    rest -= n * size;
  }
  return parts.join(' ');
}

/** 93600 → "PT26H", as java.time.Duration reads it. */
export function toIsoDuration(seconds: number): string {
  if (seconds === 0) return 'PT0S';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s ? `${s}S` : ''}`;
}

/** "93600s" (protobuf JSON) → 93600; null if it is not one. */
export function parseProtoDuration(text: string): number | null {
  const match = /^(\d+)(?:\.\d+)?s$/.exec(text.trim());
  return match ? Number(match[1]) : null;
}

/** ISO-8601 "PT26H", "P1DT2H", "P90D" → seconds; null if it is not a duration of that form. */
function parseIso(text: string): number | null {
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) return null;
  const [, d, h, m, s] = match;
  return Number(d ?? 0) * 86400 + Number(h ?? 0) * 3600 + Number(m ?? 0) * 60 + Number(s ?? 0);
}

/** Whether a policy threshold's ISO value is a period (years, months, days: "P3Y") rather than a duration ("PT26H"). */
export function isIsoPeriod(value: string): boolean {
  return /^P(?=\d)(\d+Y)?(\d+M)?(\d+D)?$/.test(value.trim());
}

/** "3 years", "18 months", "1 year 6 months" → "P3Y", "P18M", "P1Y6M". */
export function parsePeriodWords(text: string): Parsed<string> {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === '') return { ok: false, message: 'required: e.g. "3 years" or "18 months"' };
  if (isIsoPeriod(trimmed.toUpperCase())) return { ok: true, value: trimmed.toUpperCase() };
  const tokens = trimmed
    .replace(/,|\band\b/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .flatMap((part) => {
      const glued = /^(\d+)([a-z]+)$/.exec(part);
      return glued ? [glued[1]!, glued[2]!] : [part];
    });
  if (tokens.length % 2 !== 0)
    return { ok: false, message: `"${text.trim()}" is not a period: e.g. "3 years" or "18 months"` };
  const amounts: Record<'Y' | 'M' | 'D', number> = { Y: 0, M: 0, D: 0 };
  for (let i = 0; i < tokens.length; i += 2) {
    const unit = PERIOD_UNITS[tokens[i + 1]!];
    if (!/^\d+$/.test(tokens[i]!))
      return { ok: false, message: `"${tokens[i]}" is not a whole number: e.g. "3 years"` };
    if (unit === undefined)
      return { ok: false, message: `"${tokens[i + 1]}" is not a unit here: use years, months or days` };
    amounts[unit] += Number(tokens[i]);
  }
  const iso = `P${amounts.Y ? `${amounts.Y}Y` : ''}${amounts.M ? `${amounts.M}M` : ''}${amounts.D ? `${amounts.D}D` : ''}`;
  return { ok: true, value: iso === 'P' ? 'P0D' : iso };
}

/** "P3Y" → "3 years", "P1Y6M" → "1 year 6 months"; the text itself if it is not a period. */
export function formatPeriodWords(iso: string): string {
  const match = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$/.exec(iso.trim());
  if (!match || !isIsoPeriod(iso)) return iso;
  const parts: string[] = [];
  for (const [n, name] of [
    [match[1], 'year'],
    [match[2], 'month'],
    [match[3], 'day'],
  ] as const) {
    const count = Number(n ?? 0);
    if (count > 0) parts.push(`${count} ${name}${count === 1 ? '' : 's'}`);
  }
  return parts.length === 0 ? '0 days' : parts.join(' ');
}

/**
 * A policy threshold as a person reads it: "PT26H" → "26 hours", "P3Y" → "3 years"; anything else (a count) as it is.
 */
export function isoToWords(value: string): string {
  if (isIsoPeriod(value)) return formatPeriodWords(value);
  const seconds = parseIso(value.trim().toUpperCase());
  return seconds === null ? value : formatDurationWords(seconds);
}

/**
 * What a person typed for a threshold, back as ISO for the server: a period where the threshold was one, a duration
 * otherwise. Text that does not read is sent as typed, so that the server names the field and says what it takes.
 */
export function wordsToIso(text: string, wasPeriod: boolean): Parsed<string> {
  if (wasPeriod) return parsePeriodWords(text);
  const parsed = parseDurationWords(text);
  return parsed.ok ? { ok: true, value: toIsoDuration(parsed.value) } : parsed;
}
