import { describe, expect, it } from 'vitest';
import { errorsByField } from './fieldErrors';
import { thresholdLabel, toDocument, toForm } from './policyForm';

const document = {
  rules: {
    'usb-rotation': { enabled: true, maxAge: 'PT26H', minDrives: 2, rotateEvery: 'P7D' },
    'plan-review': { enabled: false, reviewEvery: 'P365D' },
  },
};

describe('policy form', () => {
  it('round-trips a document, counts staying numbers', () => {
    const { form, types } = toForm(document);
    expect(form['usb-rotation']).toEqual({ enabled: true, thresholds: { maxAge: 'PT26H', minDrives: '2', rotateEvery: 'P7D' } });
    expect(toDocument(form, types)).toEqual(document);
  });

  it('sends a count that is not a number as typed, for the server to name', () => {
    const { form, types } = toForm(document);
    form['usb-rotation']!.thresholds.minDrives = 'two';
    form['usb-rotation']!.thresholds.maxAge = ' PT30H ';
    expect(toDocument(form, types).rules['usb-rotation']).toEqual({ enabled: true, maxAge: 'PT30H', minDrives: 'two', rotateEvery: 'P7D' });
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
