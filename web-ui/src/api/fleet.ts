import { apiRequest } from './client';
import type { FleetPage } from './types';

/* The fleet page: every practice's compliance, filtered, sorted and paged (fleetKeys). */

/** The fleet page's filters; empty ones are left out of the query. */
export interface FleetQuery {
  state?: string;
  groupId?: string;
  rule?: string;
  q?: string;
  sort?: string;
  page?: number;
  size?: number;
}

export function fleetQueryString(query: FleetQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function fetchFleetPage(query: FleetQuery, signal?: AbortSignal): Promise<FleetPage> {
  return apiRequest<FleetPage>(`/api/fleet/compliance${fleetQueryString(query)}`, { signal });
}
