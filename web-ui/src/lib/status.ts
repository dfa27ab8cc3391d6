import type { PracticeSummary, Status } from '../api/types';

/**
 * Worst first. UNKNOWN ranks between AT_RISK and PASS: no evidence is not evidence that the
 * backups are fine, but it is not a known failure either.
 */
export const STATUS_ORDER: readonly Status[] = ['FAIL', 'AT_RISK', 'UNKNOWN', 'PASS'];

/** Coerces anything the API may send in future to a known status. */
export function normaliseStatus(status: string | null | undefined): Status {
  return (STATUS_ORDER as readonly string[]).includes(status ?? '') ? (status as Status) : 'UNKNOWN';
}

/** 0 for the worst status, larger for better ones. */
export function statusRank(status: string | null | undefined): number {
  return STATUS_ORDER.indexOf(normaliseStatus(status));
}

export const STATUS_LABEL: Record<Status, string> = {
  FAIL: 'Failing',
  AT_RISK: 'At risk',
  UNKNOWN: 'Unknown',
  PASS: 'Passing',
};

/** Mantine colours, dark enough shades for white text; the badge always shows the label too. */
export const STATUS_COLOR: Record<Status, string> = {
  FAIL: 'red.8',
  AT_RISK: 'orange.9',
  UNKNOWN: 'gray.7',
  PASS: 'green.8',
};

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

export function comparePractices(a: PracticeSummary, b: PracticeSummary): number {
  return statusRank(a.status) - statusRank(b.status) || collator.compare(a.name, b.name);
}

/** A sorted copy: worst status first, then by name. */
export function sortPractices(practices: readonly PracticeSummary[]): PracticeSummary[] {
  return [...practices].sort(comparePractices);
}

export type StatusCounts = Record<Status, number> & { total: number };

export function countByStatus(items: readonly { status: string }[]): StatusCounts {
  const counts: StatusCounts = { FAIL: 0, AT_RISK: 0, UNKNOWN: 0, PASS: 0, total: 0 };
  for (const item of items) {
    counts[normaliseStatus(item.status)] += 1;
    counts.total += 1;
  }
  return counts;
}

const SUMMARY_WORDS: Record<Status, string> = {
  FAIL: 'failing',
  AT_RISK: 'at risk',
  UNKNOWN: 'unknown',
  PASS: 'passing',
};

/** e.g. "3 practices · 1 failing · 1 at risk · 1 passing"; statuses with no practice are left out. */
export function summaryText(counts: StatusCounts): string {
  const parts = [`${counts.total} ${counts.total === 1 ? 'practice' : 'practices'}`];
  for (const status of STATUS_ORDER) {
    if (counts[status] > 0) parts.push(`${counts[status]} ${SUMMARY_WORDS[status]}`);
  }
  return parts.join(' · ');
}
