import { describe, expect, it } from 'vitest';
import type { MonthlyReport } from '../api/types';
import { chartOf, currentMonth, monthLabel, recentMonths, ruleMonths } from './report';

const report: MonthlyReport = {
  groupId: 'g-1',
  groupName: 'Coast Group',
  month: '2026-10',
  from: '2026-10-01T00:00:00Z',
  to: '2026-10-31T23:59:59Z',
  generatedAt: '2026-11-26T12:00:00Z',
  practices: 2,
  days: [
    { date: '2026-10-01', overall: null, rules: {} },
    { date: '2026-10-02', overall: 1, rules: { 'nas-copy': 1, ups: 1 } },
    { date: '2026-10-03', overall: 0.5, rules: { 'nas-copy': 0.5, ups: 1 } },
    { date: '2026-10-04', overall: 1, rules: { 'nas-copy': 1, ups: 1 } },
  ],
  failures: [],
  objectives: [],
  planReviews: [],
};

describe('monthly report', () => {
  it('draws the overall share and only the rules that dipped, as percentages', () => {
    const chart = chartOf(report);
    expect(chart.rules).toEqual(['nas-copy']);
    expect(chart.days[0]).toEqual({ date: '2026-10-01', overall: null });
    expect(chart.days[2]).toEqual({ date: '2026-10-03', overall: 50, 'nas-copy': 50, ups: 100 });
  });

  it('sums each rule up in its average, lowest and last day, over the days it had a state', () => {
    const months = ruleMonths(report);
    expect(months.find((m) => m.ruleId === 'nas-copy')).toEqual({
      ruleId: 'nas-copy',
      average: 83.3,
      lowest: 50,
      last: 100,
    });
    expect(months.find((m) => m.ruleId === 'ups')).toEqual({ ruleId: 'ups', average: 100, lowest: 100, last: 100 });
    expect(months.find((m) => m.ruleId === 'db-sync')).toEqual({
      ruleId: 'db-sync',
      average: null,
      lowest: null,
      last: null,
    });
    expect(months.map((m) => m.ruleId)[0]).toBe('db-sync'); // the policy's order
  });

  it('names months', () => {
    expect(currentMonth(Date.parse('2026-11-26T12:00:00Z'))).toBe('2026-11');
    expect(monthLabel('2026-11')).toBe('November 2026');
    expect(monthLabel('nonsense')).toBe('nonsense');
    expect(recentMonths(Date.parse('2026-02-10T00:00:00Z'), 4)).toEqual(['2026-02', '2026-01', '2025-12', '2025-11']);
  });
});
