import { apiRequest } from './client';

/** A maintenance window as /api/maintenance-windows gives it; practiceId null: every practice of the group. */
export interface MaintenanceWindow {
  id: string;
  groupId: string;
  groupName: string | null;
  practiceId: string | null;
  practiceName: string | null;
  startsAt: string;
  /** When it ends, or ended (moved to the moment it was ended early). */
  endsAt: string;
  plannedEndsAt: string;
  reason: string;
  state: 'UPCOMING' | 'ACTIVE' | 'ENDED' | 'CANCELLED';
  createdBy: string;
  createdAt: string;
  endedEarlyAt: string | null;
  endedEarlyBy: string | null;
  cancelledAt: string | null;
  cancelledBy: string | null;
}

/** What the form sends; startsAt left out means now. */
export interface MaintenanceRequest {
  practiceId?: string;
  groupId?: string;
  startsAt?: string;
  endsAt: string;
  reason: string;
}

/** Where the windows shown belong: one practice (its own and its group's windows) or one group. */
export type MaintenanceTarget = { practiceId: string } | { groupId: string };

function query(target: MaintenanceTarget | null, state: string): string {
  const params = new URLSearchParams({ state });
  if (target && 'practiceId' in target) params.set('practiceId', target.practiceId);
  if (target && 'groupId' in target) params.set('groupId', target.groupId);
  return `/api/maintenance-windows?${params.toString()}`;
}

/** The active and upcoming windows of the target, active first. */
export function fetchMaintenanceWindows(target: MaintenanceTarget, signal?: AbortSignal): Promise<MaintenanceWindow[]> {
  return apiRequest<MaintenanceWindow[]>(query(target, 'current'), { signal });
}

/** Every window active now in the caller's tenancy (for the fleet). */
export function fetchActiveMaintenance(signal?: AbortSignal): Promise<MaintenanceWindow[]> {
  return apiRequest<MaintenanceWindow[]>(query(null, 'active'), { signal });
}

export function scheduleMaintenance(request: MaintenanceRequest): Promise<MaintenanceWindow> {
  return apiRequest<MaintenanceWindow>('/api/maintenance-windows', { method: 'POST', body: request });
}

export function endMaintenance(id: string): Promise<MaintenanceWindow> {
  return apiRequest<MaintenanceWindow>(`/api/maintenance-windows/${encodeURIComponent(id)}/end`, { method: 'POST' });
}

export function cancelMaintenance(id: string): Promise<MaintenanceWindow> {
  return apiRequest<MaintenanceWindow>(`/api/maintenance-windows/${encodeURIComponent(id)}`, { method: 'DELETE' });
}
