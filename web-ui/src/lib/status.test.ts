import { describe, expect, it } from 'vitest';
import type { PracticeSummary } from '../api/types';
import { fleetFixture } from '../test/fixtures';
import { countByStatus, normaliseStatus, sortPractices, statusRank, summaryText } from './status';

describe('status ordering', () => {
  it('ranks FAIL worst, then AT_RISK, UNKNOWN, PASS', () => {
    expect(statusRank('FAIL')).toBeLessThan(statusRank('AT_RISK'));
    expect(statusRank('AT_RISK')).toBeLessThan(statusRank('UNKNOWN'));
    expect(statusRank('UNKNOWN')).toBeLessThan(statusRank('PASS'));
  });

  it('treats statuses it does not know as UNKNOWN', () => {
    expect(normaliseStatus('DEGRADED')).toBe('UNKNOWN');
    expect(normaliseStatus(null)).toBe('UNKNOWN');
    expect(statusRank('DEGRADED')).toBe(statusRank('UNKNOWN'));
  });

  it('sorts practices worst first, then by name, without touching the input', () => {
    const input = fleetFixture.practices;
    const before = input.map((p) => p.id);
    expect(sortPractices(input).map((p) => p.name)).toEqual([
      'Birch Lane Clinic',
      'Oak Street Surgery',
      'Alder Practice',
      'Harbour Dental',
    ]);
    expect(input.map((p) => p.id)).toEqual(before);
  });

  it('compares names case-insensitively and numerically', () => {
    const p = (name: string): PracticeSummary => ({ ...fleetFixture.practices[0]!, id: name, name });
    expect(sortPractices([p('clinic 10'), p('Clinic 9'), p('branch')]).map((x) => x.name)).toEqual([
      'branch',
      'Clinic 9',
      'clinic 10',
    ]);
  });
});

describe('summary counts', () => {
  it('counts practices by status', () => {
    expect(countByStatus(fleetFixture.practices)).toEqual({
      FAIL: 1,
      AT_RISK: 1,
      UNKNOWN: 0,
      PASS: 2,
      total: 4,
    });
  });

  it('writes the summary, leaving out statuses nobody has', () => {
    expect(summaryText(countByStatus(fleetFixture.practices))).toBe(
      '4 practices · 1 failing · 1 at risk · 2 passing',
    );
    expect(summaryText(countByStatus([{ status: 'UNKNOWN' }]))).toBe('1 practice · 1 unknown');
    expect(summaryText(countByStatus([]))).toBe('0 practices');
  });
});
