import { describe, expect, it } from 'vitest';
import { describeSettings, kindLabel, toCheckForm, toCheckInput } from './checkForm';

const FOLDER = {
  maxAge: 'duration',
  minSizeBytes: 'integer',
  minSizeRatio: 'number',
  minHistory: 'duration',
  readBack: 'boolean',
} as const;

describe('check form', () => {
  it('shows a stored check in words and sends it back as the server stores it', () => {
    const form = toCheckForm(
      {
        checkId: 'nas-copy',
        kind: 'BACKUP_FOLDER',
        intervalSeconds: 900,
        settings: { maxAge: '93600s', minSizeBytes: '1024', readBack: true },
        servesRule: 'nas-copy',
      },
      FOLDER,
    );
    expect(form).toEqual({
      checkId: 'nas-copy',
      kind: 'BACKUP_FOLDER',
      interval: '15 minutes',
      settings: { maxAge: '26 hours', minSizeBytes: '1024', readBack: true },
    });
    expect(toCheckInput(form, FOLDER)).toEqual({
      ok: true,
      input: {
        checkId: 'nas-copy',
        kind: 'BACKUP_FOLDER',
        intervalSeconds: 900,
        settings: { maxAge: '93600s', minSizeBytes: 1024, readBack: true },
      },
    });
  });

  it('takes durations as people say them', () => {
    const result = toCheckInput(
      {
        checkId: 'archive-retention',
        kind: 'BACKUP_FOLDER',
        interval: '1 hour',
        settings: { minHistory: '1095 days', maxAge: '1 day 2 hours' },
      },
      FOLDER,
    );
    expect(result).toEqual({
      ok: true,
      input: {
        checkId: 'archive-retention',
        kind: 'BACKUP_FOLDER',
        intervalSeconds: 3600,
        settings: { minHistory: '94608000s', maxAge: '93600s' },
      },
    });
  });

  it('names each field it cannot read, as the server names them', () => {
    expect(
      toCheckInput(
        { checkId: 'x', kind: 'BACKUP_FOLDER', interval: 'often', settings: { maxAge: '26 lightyears' } },
        FOLDER,
      ),
    ).toEqual({
      ok: false,
      errors: {
        intervalSeconds:
          '"often" is not a duration: give each number its unit, e.g. "26 hours", "90 days", "15 minutes" or "1 day 2 hours"',
        'settings.maxAge': '"lightyears" is not a unit of time: use seconds, minutes, hours, days or weeks',
      },
    });
  });

  it('leaves out empty settings and sends a count that is not a number as typed, for the server to name', () => {
    const result = toCheckInput(
      {
        checkId: 'nas-copy',
        kind: 'BACKUP_FOLDER',
        interval: '15 minutes',
        settings: { maxAge: '', minSizeBytes: 'lots', readBack: false },
      },
      FOLDER,
    );
    expect(result).toEqual({
      ok: true,
      input: { checkId: 'nas-copy', kind: 'BACKUP_FOLDER', intervalSeconds: 900, settings: { minSizeBytes: 'lots' } },
    });
  });

  it('describes settings in words', () => {
    expect(describeSettings({ maxAge: '93600s', readBack: true }, FOLDER)).toBe('max age 26 hours, read back');
    expect(describeSettings({}, FOLDER)).toBe('as the policy sets');
    expect(kindLabel('RESTIC_REPOSITORY')).toBe('Restic repository');
    expect(kindLabel('UPS')).toBe('UPS');
  });
});
