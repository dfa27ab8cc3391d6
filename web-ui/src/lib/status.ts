import type { Status } from '../api/types';

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
