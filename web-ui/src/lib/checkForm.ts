import type { CheckCatalogue, CheckInput, CheckView } from '../api/types';
import { formatDurationWords, parseDurationWords, parseProtoDuration } from './durationWords';

export type SettingType = CheckCatalogue['kinds'][number]['settings'][number]['type'];

/** A check as the form edits it: the interval and every duration in words, other settings as typed. */
export interface CheckForm {
  checkId: string;
  kind: string;
  interval: string;
  settings: Record<string, string | boolean>;
}

export const EMPTY_CHECK: CheckForm = { checkId: '', kind: '', interval: '15 minutes', settings: {} };

/** The form of a stored check: "93600s" shows as "26 hours", 900 s of interval as "15 minutes". */
export function toCheckForm(check: CheckView, types: Record<string, SettingType>): CheckForm {
  const settings: Record<string, string | boolean> = {};
  for (const [name, value] of Object.entries(check.settings ?? {})) {
    if (types[name] === 'duration' && typeof value === 'string') {
      const seconds = parseProtoDuration(value);
      settings[name] = seconds === null ? value : formatDurationWords(seconds);
    } else if (typeof value === 'boolean') {
      settings[name] = value;
    } else {
      settings[name] = String(value);
    }
  }
  return { checkId: check.checkId, kind: check.kind, interval: formatDurationWords(check.intervalSeconds), settings };
}

/**
 * The check to send, or the fields the browser could not read (keyed as the server keys them: intervalSeconds,
 * settings.maxAge). Empty settings are left out; a number that does not read is sent as typed, for the server to name.
 */
export function toCheckInput(
  form: CheckForm,
  types: Record<string, SettingType>,
): { ok: true; input: CheckInput } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const interval = parseDurationWords(form.interval);
  if (!interval.ok) errors.intervalSeconds = interval.message;
  const settings: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(form.settings)) {
    const type = types[name];
    if (typeof value === 'boolean') {
      if (value) settings[name] = true;
      continue;
    }
    const text = value.trim();
    if (text === '') continue;
    if (type === 'duration') {
      const parsed = parseDurationWords(text);
      if (parsed.ok) settings[name] = `${parsed.value}s`;
      else errors[`settings.${name}`] = parsed.message;
    } else if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(text)) {
      settings[name] = Number(text);
    } else {
      settings[name] = text;
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    input: {
      checkId: form.checkId.trim(),
      kind: form.kind,
      intervalSeconds: interval.ok ? interval.value : form.interval,
      settings,
    },
  };
}

/** A stored check's settings in words for a table: "max age 26 hours, read back". */
export function describeSettings(settings: Record<string, unknown>, types: Record<string, SettingType>): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(settings ?? {})) {
    const label = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
    if (typeof value === 'boolean') {
      if (value) parts.push(label);
    } else if (types[name] === 'duration' && typeof value === 'string' && parseProtoDuration(value) !== null) {
      parts.push(`${label} ${formatDurationWords(parseProtoDuration(value)!)}`);
    } else {
      parts.push(`${label} ${String(value)}`);
    }
  }
  return parts.length === 0 ? 'as the policy sets' : parts.join(', ');
}

/** The setting types of one kind, by setting name. */
export function settingTypes(catalogue: CheckCatalogue | undefined, kind: string): Record<string, SettingType> {
  const found = catalogue?.kinds.find((k) => k.kind === kind);
  return Object.fromEntries((found?.settings ?? []).map((s) => [s.name, s.type]));
}

/** "RESTIC_REPOSITORY" → "Restic repository" */
export function kindLabel(kind: string): string {
  const words = kind
    .toLowerCase()
    .replace(/_/g, ' ')
    .replace(/\bups\b/, 'UPS')
    .replace(/\busb\b/, 'USB');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
