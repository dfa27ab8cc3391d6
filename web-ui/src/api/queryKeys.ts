import type { FleetQuery } from './fleet';
import type { MaintenanceTarget } from './maintenance';

/*
 * Every TanStack Query key of the web UI, one factory per feature. A page reads with these keys and
 * a change invalidates with them, so a mutation cannot refresh a key nobody reads (revoking an
 * agent once invalidated ['fleet'] while the fleet page read ['fleet-page', query], and the fleet
 * stayed stale). Each feature's keys start with the feature's own first element, so
 * `invalidateQueries({ queryKey: fleetKeys.all })` reaches every page and filter of the fleet.
 */

/** Sign-in and the signed-in person. `auth-config` survives a sign-out (see RequireAuth). */
export const authKeys = {
  config: ['auth-config'] as const,
  me: ['me'] as const,
};

/** The fleet page: GET /api/fleet/compliance, one entry per filter, sort and page. */
export const fleetKeys = {
  all: ['fleet'] as const,
  page: (query: FleetQuery) => ['fleet', 'page', query] as const,
};

/** One practice's page and its sections. `of(id)` covers all of them. */
export const practiceKeys = {
  of: (practiceId: string) => ['practice', practiceId] as const,
  detail: (practiceId: string) => ['practice', practiceId, 'detail'] as const,
  compliance: (practiceId: string) => ['practice', practiceId, 'compliance'] as const,
  contacts: (practiceId: string) => ['practice', practiceId, 'contacts'] as const,
  exceptions: (practiceId: string) => ['practice', practiceId, 'exceptions'] as const,
  reviews: (practiceId: string) => ['practice', practiceId, 'plan-reviews'] as const,
  sources: (practiceId: string) => ['practice', practiceId, 'sources'] as const,
  pingUrl: (practiceId: string, checkId: string) => ['practice', practiceId, 'ping-url', checkId] as const,
};

/** The check sets: the catalogue of templates, a group's checks, a practice's own. */
export const checkKeys = {
  catalogue: ['checks', 'catalogue'] as const,
  group: (groupId: string) => ['checks', 'group', groupId] as const,
  practice: (practiceId: string) => ['checks', 'practice', practiceId] as const,
};

/** The groups the caller may see (the pickers of several pages). */
export const groupKeys = {
  all: ['groups'] as const,
};

/** /admin/groups; every change there invalidates everything (the fleet and group pickers show the tenancy too). */
export const tenancyKeys = {
  groups: ['tenancy', 'groups'] as const,
  practices: ['tenancy', 'practices'] as const,
};

/** Open and resolved alerts. */
export const alertKeys = {
  all: ['alerts'] as const,
  open: ['alerts', 'open'] as const,
  resolved: ['alerts', 'resolved'] as const,
};

/** A group's policy and its versions (`null` while no group is chosen: the query waits, disabled). */
export const policyKeys = {
  current: (groupId: string | null) => ['policy', groupId, 'current'] as const,
  versions: (groupId: string | null) => ['policy', groupId, 'versions'] as const,
};

/** Notification settings of the provider and of each group. */
export const notificationKeys = {
  provider: ['notifications', 'provider'] as const,
  group: (groupId: string | null) => ['notifications', 'group', groupId] as const,
};

/** The monthly report of a group, month as YYYY-MM. */
export const reportKeys = {
  of: (groupId: string | null, month: string) => ['report', groupId, month] as const,
};

/** The audit log. */
export const auditKeys = {
  latest: (limit: number) => ['audit', limit] as const,
};

/** People, providers and their admins. */
export const peopleKeys = {
  all: ['people'] as const,
  practices: ['people', 'practices'] as const,
  providers: ['operator', 'providers'] as const,
  admins: (providerId: string) => ['operator', 'providers', providerId, 'admins'] as const,
};

/** Maintenance windows; every change invalidates them all (the fleet shows who is in maintenance too). */
export const maintenanceKeys = {
  all: ['maintenance-windows'] as const,
  of: (target: MaintenanceTarget) => ['maintenance-windows', target] as const,
  active: ['maintenance-windows', 'active'] as const,
};
