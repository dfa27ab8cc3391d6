import type { MonthlyReport } from '../api/types';
import { RULES } from './rules';

/** One day of the chart: shares as percentages, keyed "overall" and by rule id. */
export type ChartDay = { date: string } & Record<string, number | string | null>;

const percent = (share: number | null | undefined) =>
  share === null || share === undefined ? null : Math.round(share * 1000) / 10;

/**
 * The chart's days and which rules to draw: the overall share always, and each rule that was
 * below 100 % on some day (eleven flat lines at the top would hide the ones that matter).
 */
export function chartOf(report: MonthlyReport): { days: ChartDay[]; rules: string[] } {
  const days = report.days.map((day) => {
    const row: ChartDay = { date: day.date, overall: percent(day.overall) };
    for (const [ruleId, share] of Object.entries(day.rules)) row[ruleId] = percent(share);
    return row;
  });
  const rules = RULES.map((r) => r.id).filter((id) =>
    report.days.some((day) => day.rules[id] !== undefined && day.rules[id]! < 1),
  );
  return { days, rules };
}

export interface RuleMonth {
  ruleId: string;
  /** Percentages over the days that had a state for the rule; null when none had. */
  average: number | null;
  lowest: number | null;
  last: number | null;
}

/** Each rule's month in three figures, in the policy's order. */
export function ruleMonths(report: MonthlyReport): RuleMonth[] {
  return RULES.map((rule) => {
    const shares = report.days.map((day) => day.rules[rule.id]).filter((s): s is number => s !== undefined);
    if (shares.length === 0) return { ruleId: rule.id, average: null, lowest: null, last: null };
    return {
      ruleId: rule.id,
      average: percent(shares.reduce((a, b) => a + b, 0) / shares.length),
      lowest: percent(Math.min(...shares)),
      last: percent(shares[shares.length - 1]),
    };
  });
}

/** "2026-11" for the month of {@code now} (UTC, as the report's days are). */
export function currentMonth(now: number = Date.now()): string {
  return new Date(now).toISOString().slice(0, 7);
}

/** "November 2026" */
export function monthLabel(month: string): string {
  const [year, m] = month.split('-').map(Number);
  if (!year || !m) return month;
  return new Date(Date.UTC(year, m - 1, 1)).toLocaleString('en-GB', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/** The last {@code count} months, newest first, as "2026-11": the months a report can be made for. */
export function recentMonths(now: number = Date.now(), count = 24): string[] {
  const date = new Date(now);
  const months: string[] = [];
  for (let i = 0; i < count; i++) {
    const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - i, 1));
    months.push(d.toISOString().slice(0, 7));
  }
  return months;
}
