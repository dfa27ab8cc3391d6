import { describe, expect, it } from 'vitest';
import {
  formatDurationWords,
  formatPeriodWords,
  isoToWords,
  parseDurationWords,
  parsePeriodWords,
  parseProtoDuration,
  toIsoDuration,
  wordsToIso,
} from './durationWords';

describe('durations as people say them', () => {
  it.each([
    ['26 hours', 93600],
    ['90 days', 7776000],
    ['15 minutes', 900],
    ['1 day 2 hours', 93600],
    ['1 day, 2 hours', 93600],
    ['1 day and 2 hours', 93600],
    ['26h', 93600],
    ['26 h', 93600],
    ['1 hour', 3600],
    ['1.5 hours', 5400],
    ['2 weeks', 1209600],
    ['30 seconds', 30],
    ['10 min', 600],
    ['  7 Days ', 604800],
    ['PT26H', 93600],
    ['P1DT2H', 93600],
  ])('reads "%s" as %i seconds', (text, seconds) => {
    expect(parseDurationWords(text)).toEqual({ ok: true, value: seconds });
  });

  it.each([
    ['', 'required: e.g. "26 hours", "90 days", "15 minutes" or "1 day 2 hours"'],
    [
      '26',
      '"26" is not a duration: give each number its unit, e.g. "26 hours", "90 days", "15 minutes" or "1 day 2 hours"',
    ],
    ['26 fortnights', '"fortnights" is not a unit of time: use seconds, minutes, hours, days or weeks'],
    ['two days', '"two" is not a number: e.g. "26 hours", "90 days", "15 minutes" or "1 day 2 hours"'],
    ['-5 hours', '"-5" is not a number: e.g. "26 hours", "90 days", "15 minutes" or "1 day 2 hours"'],
    ['1.0001 hours', 'to the second, please (e.g. "90 minutes" rather than "1.51 hours")'],
  ])('refuses "%s" saying why', (text, message) => {
    expect(parseDurationWords(text)).toEqual({ ok: false, message });
  });

  it.each([
    [93600, '26 hours'],
    [7776000, '90 days'],
    [900, '15 minutes'],
    [90000, '25 hours'],
    [3600, '1 hour'],
    [86400, '24 hours'],
    [604800, '7 days'],
    [183600, '2 days 3 hours'],
    [94000, '1 day 2 hours 6 minutes 40 seconds'],
    [0, '0 seconds'],
  ])('shows %i seconds as "%s", which reads back the same', (seconds, words) => {
    expect(formatDurationWords(seconds)).toBe(words);
    expect(parseDurationWords(words)).toEqual({ ok: true, value: seconds });
  });

  it('writes ISO durations java.time reads, and reads protobuf durations', () => {
    expect(toIsoDuration(93600)).toBe('PT26H');
    expect(toIsoDuration(5430)).toBe('PT1H30M30S');
    expect(toIsoDuration(0)).toBe('PT0S');
    expect(parseProtoDuration('93600s')).toBe(93600);
    expect(parseProtoDuration('26 hours')).toBeNull();
  });

  it('reads and writes periods for a retention', () => {
    expect(parsePeriodWords('3 years')).toEqual({ ok: true, value: 'P3Y' });
    expect(parsePeriodWords('1 year 6 months')).toEqual({ ok: true, value: 'P1Y6M' });
    expect(parsePeriodWords('18 months')).toEqual({ ok: true, value: 'P18M' });
    expect(parsePeriodWords('P3Y')).toEqual({ ok: true, value: 'P3Y' });
    expect(parsePeriodWords('3 hours')).toEqual({
      ok: false,
      message: '"hours" is not a unit here: use years, months or days',
    });
    expect(formatPeriodWords('P3Y')).toBe('3 years');
    expect(formatPeriodWords('P1Y1M')).toBe('1 year 1 month');
  });

  it('turns policy thresholds into words and back', () => {
    expect(isoToWords('PT26H')).toBe('26 hours');
    expect(isoToWords('PT2160H')).toBe('90 days');
    expect(isoToWords('PT15M')).toBe('15 minutes');
    expect(isoToWords('P3Y')).toBe('3 years');
    expect(isoToWords('2')).toBe('2');
    expect(wordsToIso('90 days', false)).toEqual({ ok: true, value: 'PT2160H' });
    expect(wordsToIso('3 years', true)).toEqual({ ok: true, value: 'P3Y' });
    expect(wordsToIso('soon', false).ok).toBe(false);
  });
});
