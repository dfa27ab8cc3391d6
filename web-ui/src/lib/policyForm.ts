import type { PolicyDocument } from '../api/types';

/** The form's values: every threshold as the text a person edits. */
export type PolicyForm = Record<string, { enabled: boolean; thresholds: Record<string, string> }>;

/** What each threshold's value was in the document, so that a count goes back as a number. */
export type ThresholdTypes = Record<string, Record<string, 'number' | 'string'>>;

export function toForm(document: PolicyDocument): { form: PolicyForm; types: ThresholdTypes } {
  const form: PolicyForm = {};
  const types: ThresholdTypes = {};
  for (const [ruleId, setting] of Object.entries(document.rules)) {
    const thresholds: Record<string, string> = {};
    types[ruleId] = {};
    for (const [key, value] of Object.entries(setting)) {
      if (key === 'enabled') continue;
      thresholds[key] = String(value);
      types[ruleId]![key] = typeof value === 'number' ? 'number' : 'string';
    }
    form[ruleId] = { enabled: setting.enabled, thresholds };
  }
  return { form, types };
}

/**
 * The document to send. A count that is not a number goes as the text typed, so that the server
 * names the field and says what it expects rather than the browser guessing.
 */
export function toDocument(form: PolicyForm, types: ThresholdTypes): PolicyDocument {
  const rules: PolicyDocument['rules'] = {};
  for (const [ruleId, setting] of Object.entries(form)) {
    const rule: PolicyDocument['rules'][string] = { enabled: setting.enabled };
    for (const [key, text] of Object.entries(setting.thresholds)) {
      const trimmed = text.trim();
      rule[key] = types[ruleId]?.[key] === 'number' && /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : trimmed;
    }
    rules[ruleId] = rule;
  }
  return { rules };
}

/** "selfTestEvery" → "Self test every" */
export function thresholdLabel(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().replace(/\bit\b/g, 'IT');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
