import type { PolicyDocument } from '../api/types';
import { isoToWords, parseDurationWords, parsePeriodWords, wordsToIso } from './durationWords';

/** The form's values: every threshold as the text a person edits ("26 hours", "90 days", "3 years", "2"). */
export type PolicyForm = Record<string, { enabled: boolean; thresholds: Record<string, string> }>;

/**
 * What each threshold's value was in the document: a count goes back as a number, a duration ("PT26H") and a
 * period ("P3Y", the archive's retention) go back as ISO-8601 from the words a person typed.
 */
export type ThresholdTypes = Record<string, Record<string, 'number' | 'string' | 'duration' | 'period'>>;

const ISO_DURATION = /^P(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?$/;
/** Thresholds that are periods of the calendar (years, months), not durations. */
const PERIOD_THRESHOLDS = new Set(['retention']);

function typeOf(key: string, value: unknown): ThresholdTypes[string][string] {
  if (typeof value === 'number') return 'number';
  const text = String(value);
  if (PERIOD_THRESHOLDS.has(key) || (/^P(\d+Y)?(\d+M)?(\d+D)?$/.test(text) && /[YM]/.test(text))) return 'period';
  if (ISO_DURATION.test(text) && text !== 'P' && !text.endsWith('T')) return 'duration';
  return 'string';
}

export function toForm(document: PolicyDocument): { form: PolicyForm; types: ThresholdTypes } {
  const form: PolicyForm = {};
  const types: ThresholdTypes = {};
  for (const [ruleId, setting] of Object.entries(document.rules)) {
    const thresholds: Record<string, string> = {};
    types[ruleId] = {};
    for (const [key, value] of Object.entries(setting)) {
      if (key === 'enabled') continue;
      const type = typeOf(key, value);
      types[ruleId]![key] = type;
      thresholds[key] = type === 'duration' || type === 'period' ? isoToWords(String(value)) : String(value);
    }
    form[ruleId] = { enabled: setting.enabled, thresholds };
  }
  return { form, types };
}

/**
 * The document to send: words back as ISO-8601. A count that is not a number, or words that do not read as a
 * duration, go as typed, so that the server names the field and says what it expects rather than the browser guessing.
 */
export function toDocument(form: PolicyForm, types: ThresholdTypes): PolicyDocument {
  const rules: PolicyDocument['rules'] = {};
  for (const [ruleId, setting] of Object.entries(form)) {
    const rule: PolicyDocument['rules'][string] = { enabled: setting.enabled };
    for (const [key, text] of Object.entries(setting.thresholds)) {
      const trimmed = text.trim();
      const type = types[ruleId]?.[key];
      if (type === 'number') {
        rule[key] = /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : trimmed;
      } else if (type === 'duration' || type === 'period') {
        const iso = wordsToIso(trimmed, type === 'period');
        rule[key] = iso.ok ? iso.value : trimmed;
      } else {
        rule[key] = trimmed;
      }
    }
    rules[ruleId] = rule;
  }
  return { rules };
}

/** Why the browser cannot read a threshold's words, if it cannot (shown while typing; the server has the last word). */
export function thresholdHint(type: ThresholdTypes[string][string] | undefined, text: string): string | undefined {
  if (type === 'duration') {
    const parsed = parseDurationWords(text);
    return parsed.ok ? undefined : parsed.message;
  }
  if (type === 'period') {
    const parsed = parsePeriodWords(text);
    return parsed.ok ? undefined : parsed.message;
  }
  return undefined;
}

/** "selfTestEvery" → "Self test every" */
export function thresholdLabel(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/\bit\b/g, 'IT');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
