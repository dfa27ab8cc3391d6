import { describe, expect, it } from 'vitest';
import { normaliseStatus, statusRank } from './status';

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
});
