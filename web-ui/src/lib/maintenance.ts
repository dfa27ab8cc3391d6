import type { MaintenanceWindow } from '../api/maintenance';

// the zone is named ("14:30 GMT"): the technician's browser may not be in the practice's zone, and the emails say UTC
const HH_MM = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
const DAY_HH_MM = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'short',
});

/** "14:30 GMT" today, "2 Dec 14:30 GMT" another day, in the browser's time zone, which it names. */
export function formatWindowTime(iso: string, now: number = Date.now()): string {
  const at = new Date(iso);
  const sameDay = new Date(now).toDateString() === at.toDateString();
  return (sameDay ? HH_MM : DAY_HH_MM).format(at).replace(',', '');
}

/** What the fleet and the practice page say of a practice in maintenance: "In maintenance until 14:30 GMT (Replacing the NAS)". */
export function maintenanceLine(
  window: Pick<MaintenanceWindow, 'endsAt' | 'reason'>,
  now: number = Date.now(),
): string {
  return `In maintenance until ${formatWindowTime(window.endsAt, now)} (${window.reason})`;
}

/**
 * The window that covers a practice now, from the active windows of the tenancy: its own or its group's, the one ending
 * last (overlapping windows hold emails until the last ends).
 */
export function coveringWindow(
  active: readonly MaintenanceWindow[],
  practice: { id: string; groupId: string },
): MaintenanceWindow | null {
  const covering = active.filter(
    (w) =>
      w.state === 'ACTIVE' &&
      (w.practiceId === practice.id || (w.practiceId === null && w.groupId === practice.groupId)),
  );
  return covering.reduce<MaintenanceWindow | null>(
    (last, w) => (!last || Date.parse(w.endsAt) > Date.parse(last.endsAt) ? w : last),
    null,
  );
}

/** A datetime-local input's value (the browser's local time) as an ISO instant; undefined when empty or unreadable. */
export function localInputToIso(value: string): string | undefined {
  if (!value.trim()) return undefined;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}
