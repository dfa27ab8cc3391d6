import type { FleetQuery } from '../api/fleet';
import type { FleetSort, Status } from '../api/types';
import { STATUS_ORDER } from './status';

export const FLEET_PAGE_SIZE = 50;
export const FLEET_SORTS: readonly { value: FleetSort; label: string }[] = [
  { value: 'group', label: 'Group, worst first' },
  { value: 'state', label: 'Worst first' },
  { value: 'name', label: 'Name' },
  { value: 'lastSeen', label: 'Longest silent first' },
];

/** The fleet page's filters as they stand in the address bar, so that a filtered view can be shared. */
export interface FleetFilters {
  state: Status | null;
  groupId: string | null;
  rule: string | null;
  q: string;
  sort: FleetSort;
  page: number;
}

/** Reads the filters from the address bar, ignoring what is not a valid value rather than failing. */
export function readFilters(params: URLSearchParams): FleetFilters {
  const state = params.get('state');
  const sort = params.get('sort');
  const page = Number.parseInt(params.get('page') ?? '', 10);
  return {
    state: (STATUS_ORDER as readonly string[]).includes(state ?? '') ? (state as Status) : null,
    groupId: params.get('group') || null,
    rule: params.get('rule') || null,
    q: params.get('q') ?? '',
    sort: FLEET_SORTS.some((s) => s.value === sort) ? (sort as FleetSort) : 'group',
    // pages count from 1 in the address bar, as people count them
    page: Number.isFinite(page) && page > 1 ? page : 1,
  };
}

/** The address bar's parameters for these filters; defaults are left out. */
export function writeFilters(filters: FleetFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.state) params.set('state', filters.state);
  if (filters.groupId) params.set('group', filters.groupId);
  if (filters.rule) params.set('rule', filters.rule);
  if (filters.q.trim()) params.set('q', filters.q.trim());
  if (filters.sort !== 'group') params.set('sort', filters.sort);
  if (filters.page > 1) params.set('page', String(filters.page));
  return params;
}

/** What the API is asked for. */
export function toQuery(filters: FleetFilters): FleetQuery {
  return {
    state: filters.state ?? undefined,
    groupId: filters.groupId ?? undefined,
    rule: filters.rule ?? undefined,
    q: filters.q.trim() || undefined,
    sort: filters.sort,
    page: filters.page - 1,
    size: FLEET_PAGE_SIZE,
  };
}
