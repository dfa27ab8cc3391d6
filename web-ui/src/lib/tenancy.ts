import { formatAbsolute } from './time';

/** A group as GET /api/groups?includeArchived=true gives it. */
export interface TenancyGroup {
  id: string;
  providerId: string;
  name: string;
  timeZone: string;
  createdAt: string | null;
  archivedAt: string | null;
  archivedBy: string | null;
}

/** A practice as GET /api/practices?includeDecommissioned=true gives it. */
export interface TenancyPractice {
  id: string;
  groupId: string;
  providerId: string;
  name: string;
  createdAt: string | null;
  decommissionedAt: string | null;
  decommissionedBy: string | null;
  decommissionReason: string | null;
}

export interface GroupRow {
  group: TenancyGroup;
  practices: TenancyPractice[];
  /** Practices still in the fleet: while there are any, the group cannot be archived. */
  livePractices: TenancyPractice[];
}

/** How long a decommissioned practice's data and history are kept, read-only (README, "Groups and practices"). */
export const RETENTION_YEARS = 7;
export const MAX_NAME = 200;

const byName = (a: { name: string }, b: { name: string }) =>
  a.name.localeCompare(b.name, undefined, { sensitivity: 'base' });

/**
 * The groups with their practices, by name, live ones first. Without `showArchived`, archived groups and
 * decommissioned practices are left out.
 */
export function groupRows(groups: TenancyGroup[], practices: TenancyPractice[], showArchived: boolean): GroupRow[] {
  return groups
    .filter((g) => showArchived || !g.archivedAt)
    .sort((a, b) => Number(!!a.archivedAt) - Number(!!b.archivedAt) || byName(a, b))
    .map((group) => {
      const mine = practices.filter((p) => p.groupId === group.id);
      const live = mine.filter((p) => !p.decommissionedAt).sort(byName);
      const gone = mine.filter((p) => !!p.decommissionedAt).sort(byName);
      return { group, practices: showArchived ? [...live, ...gone] : live, livePractices: live };
    });
}

/** Why a group cannot be archived yet, in the words the server uses; null when it can. */
export function archiveBlocker(row: GroupRow): string | null {
  const live = row.livePractices;
  if (live.length === 0) return null;
  const names = live.map((p) => `“${p.name}”`).join(', ');
  return `${row.group.name} still has ${live.length} live practice${live.length === 1 ? '' : 's'}: ${names}. Move each to another group or decommission it first.`;
}

/** Where a practice can move: the live groups of its provider other than its own, by name. */
export function moveTargets(groups: TenancyGroup[], practice: TenancyPractice): TenancyGroup[] {
  return groups.filter((g) => !g.archivedAt && g.id !== practice.groupId).sort(byName);
}

/** What decommissioning does, each a sentence for the confirm dialog. */
export function decommissionConsequences(practiceName: string): string[] {
  return [
    `Every agent of ${practiceName} is revoked at once: it can no longer send reports or fetch its checks, and its unused enrolment tokens stop working.`,
    'Its open alerts are closed with the reason "Practice decommissioned"; nobody is emailed about it, and no webhook is called.',
    'It leaves the fleet, the compliance evaluation, alerting, the daily digests and the reports of the months after this one.',
    `Its data and history are kept, read-only, for ${RETENTION_YEARS} years; its page still shows them, with who decommissioned it and when. Rampart deletes none of it.`,
    'This cannot be undone: to watch the practice again, add it as a new practice.',
  ];
}

/** "Decommissioned on 3 Mar 2025, 10:00 by alice" (with the reason when one was given), or null for a live practice. */
export function decommissionedLine(p: {
  decommissionedAt?: string | null;
  decommissionedBy?: string | null;
  decommissionReason?: string | null;
}): string | null {
  if (!p.decommissionedAt) return null;
  const line = `Decommissioned on ${formatAbsolute(p.decommissionedAt)} by ${p.decommissionedBy ?? 'someone'}`;
  return p.decommissionReason ? `${line}: ${p.decommissionReason}` : line;
}

/** The client's first look at a name, as the server checks it (the server still checks every value). */
export function nameProblem(name: string): string | null {
  const trimmed = name.trim();
  if (!trimmed) return 'A name is needed';
  if (trimmed.length > MAX_NAME) return `At most ${MAX_NAME} characters (this one has ${trimmed.length})`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) return 'No control characters such as tabs or line breaks';
  return null;
}

/** The IANA time zones this browser knows, for the picker; the server accepts any IANA zone id. */
export function timeZones(): string[] {
  const withValues = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  const zones = withValues.supportedValuesOf ? withValues.supportedValuesOf('timeZone') : [];
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
}
