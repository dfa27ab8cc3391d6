import { describe, expect, it } from 'vitest';
import { errorsByField } from './fieldErrors';
import { thresholdHint, thresholdLabel, toDocument, toForm } from './policyForm';

const document = {
  rules: {
    'usb-rotation': { enabled: true, maxAge: 'PT26H', minDrives: 2, rotateEvery: 'PT168H' },
    'plan-review': { enabled: false, reviewEvery: 'PT8760H' },
    'archive-retention': { enabled: true, retention: 'P3Y', maxInterval: 'PT744H' },
  },
};

describe('policy form', () => {
  it('shows durations and periods in words and round-trips the document, counts staying numbers', () => {
    const { form, types } = toForm(document);
    expect(form['usb-rotation']).toEqual({
      enabled: true,
      thresholds: { maxAge: '26 hours', minDrives: '2', rotateEvery: '7 days' },
    });
    expect(form['plan-review']!.thresholds.reviewEvery).toBe('365 days');
    expect(form['archive-retention']!.thresholds).toEqual({ retention: '3 years', maxInterval: '31 days' });
    expect(toDocument(form, types)).toEqual(document);
  });

  it('takes the words people use, and ISO as typed before', () => {
    const { form, types } = toForm(document);
    form['usb-rotation']!.thresholds.maxAge = '1 day 4 hours';
    form['usb-rotation']!.thresholds.rotateEvery = 'P14D';
    form['archive-retention']!.thresholds.retention = '7 years';
    const sent = toDocument(form, types);
    expect(sent.rules['usb-rotation']).toEqual({ enabled: true, maxAge: 'PT28H', minDrives: 2, rotateEvery: 'PT336H' });
    expect(sent.rules['archive-retention']!.retention).toBe('P7Y');
    expect(thresholdHint(types['usb-rotation']!.maxAge, 'soon')).toBe(
      '"soon" is not a duration: give each number its unit, e.g. "26 hours", "90 days", "15 minutes" or "1 day 2 hours"',
    );
    expect(thresholdHint(types['usb-rotation']!.maxAge, '26 hours')).toBeUndefined();
  });

  it('sends a count that is not a number as typed, for the server to name', () => {
    const { form, types } = toForm(document);
    form['usb-rotation']!.thresholds.minDrives = 'two';
    form['usb-rotation']!.thresholds.maxAge = ' soon ';
    expect(toDocument(form, types).rules['usb-rotation']).toEqual({
      enabled: true,
      maxAge: 'soon',
      minDrives: 'two',
      rotateEvery: 'PT168H',
    });
  });

  it('labels thresholds in words and files the server errors by field', () => {
    expect(thresholdLabel('selfTestEvery')).toBe('Self test every');
    expect(thresholdLabel('maxAge')).toBe('Max age');
    expect(thresholdLabel('minItContacts')).toBe('Min IT contacts');
    expect(
      errorsByField([
        { field: 'document.rules.ups.selfTestEvery', message: 'a duration like P90D' },
        { field: 'document.rules.ups.selfTestEvery', message: 'at least P1D' },
        { field: 'comment', message: 'at most 500 characters' },
      ]),
    ).toEqual({ 'rules.ups.selfTestEvery': 'a duration like P90D; at least P1D', comment: 'at most 500 characters' });
  });
});
