import { describe, expect, it } from 'vitest';
import { describeIsoDuration, formatAbsolute, formatRelative, parseIsoDuration } from './time';

const now = Date.parse('2025-03-01T12:00:00Z');
const ago = (ms: number) => new Date(now - ms).toISOString();

describe('formatRelative', () => {
  it('says never when there is no time', () => {
    expect(formatRelative(null, now)).toBe('never');
    expect(formatRelative(undefined, now)).toBe('never');
    expect(formatRelative('', now)).toBe('never');
  });

  it('says just now for the last few seconds and for slight clock skew', () => {
    expect(formatRelative(ago(0), now)).toBe('just now');
    expect(formatRelative(ago(9_999), now)).toBe('just now');
    expect(formatRelative(ago(-30_000), now)).toBe('just now');
  });

  it('counts seconds, minutes, hours and days', () => {
    expect(formatRelative(ago(45_000), now)).toBe('45 s ago');
    expect(formatRelative(ago(60_000), now)).toBe('1 min ago');
    expect(formatRelative(ago(2 * 60_000 + 59_000), now)).toBe('2 min ago');
    expect(formatRelative(ago(59 * 60_000), now)).toBe('59 min ago');
    expect(formatRelative(ago(3 * 3_600_000), now)).toBe('3 h ago');
    expect(formatRelative(ago(5 * 86_400_000), now)).toBe('5 d ago');
  });

  it('shows the date beyond 30 days', () => {
    expect(formatRelative('2025-01-15T08:00:00Z', now)).toBe('2025-01-15');
  });

  it('handles times in the future and garbage', () => {
    expect(formatRelative(ago(-5 * 60_000), now)).toBe('in 5 min');
    expect(formatRelative('not a date', now)).toBe('unknown');
  });

  it('accepts a Date as now', () => {
    expect(formatRelative(ago(120_000), new Date(now))).toBe('2 min ago');
  });
});

describe('formatAbsolute', () => {
  it('includes the year and falls back sensibly', () => {
    expect(formatAbsolute('2025-03-01T12:00:00Z')).toContain('2025');
    expect(formatAbsolute(null)).toBe('never');
    expect(formatAbsolute('nonsense')).toBe('nonsense');
  });
});

describe('ISO durations', () => {
  it('reads the durations Java writes and says them in words', () => {
    expect(parseIsoDuration('PT6M30S')).toBe(390_000);
    expect(parseIsoDuration('P7D')).toBe(7 * 24 * 3600_000);
    expect(describeIsoDuration('PT6M30S')).toBe('6 min 30 s');
    expect(describeIsoDuration('PT26H')).toBe('1 d 2 h');
    expect(describeIsoDuration('PT15M')).toBe('15 min');
    expect(describeIsoDuration('PT0S')).toBe('0 s');
    expect(describeIsoDuration('soon')).toBe('soon');
    expect(Number.isNaN(parseIsoDuration('PT'))).toBe(true);
  });
});
