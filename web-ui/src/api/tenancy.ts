import { apiRequest } from './client';
import type { GroupSummary } from './types';
import type { TenancyGroup, TenancyPractice } from '../lib/tenancy';

/*
 * Groups and practices: the groups the caller may see (groupKeys, the pickers of several pages) and
 * their lifecycle on /admin/groups (tenancyKeys).
 */

export function fetchGroups(signal?: AbortSignal): Promise<GroupSummary[]> {
  return apiRequest<GroupSummary[]>('/api/groups', { signal });
}

// The tenancy lifecycle (provider admins): groups and practices, archived and decommissioned ones included on request.
export function fetchTenancyGroups(signal?: AbortSignal): Promise<TenancyGroup[]> {
  return apiRequest<TenancyGroup[]>('/api/groups?includeArchived=true', { signal });
}

export function fetchTenancyPractices(signal?: AbortSignal): Promise<TenancyPractice[]> {
  return apiRequest<TenancyPractice[]>('/api/practices?includeDecommissioned=true', { signal });
}

export function createGroup(name: string, timeZone: string): Promise<TenancyGroup> {
  return apiRequest('/api/groups', { method: 'POST', body: { name, timeZone } });
}

export function changeGroup(groupId: string, name: string, timeZone: string): Promise<TenancyGroup> {
  return apiRequest(`/api/groups/${encodeURIComponent(groupId)}`, { method: 'PUT', body: { name, timeZone } });
}

export function archiveGroup(groupId: string, archive: boolean): Promise<TenancyGroup> {
  return apiRequest(`/api/groups/${encodeURIComponent(groupId)}/${archive ? 'archive' : 'unarchive'}`, {
    method: 'POST',
  });
}

export function addPractice(groupId: string, name: string): Promise<{ id: string; groupId: string; name: string }> {
  return apiRequest(`/api/groups/${encodeURIComponent(groupId)}/practices`, { method: 'POST', body: { name } });
}

export function renamePractice(practiceId: string, name: string): Promise<TenancyPractice> {
  return apiRequest(`/api/practices/${encodeURIComponent(practiceId)}/name`, { method: 'PUT', body: { name } });
}

export function movePractice(practiceId: string, groupId: string): Promise<TenancyPractice> {
  return apiRequest(`/api/practices/${encodeURIComponent(practiceId)}/move`, { method: 'POST', body: { groupId } });
}

export function decommissionPractice(practiceId: string, reason: string): Promise<TenancyPractice> {
  return apiRequest(`/api/practices/${encodeURIComponent(practiceId)}/decommission`, {
    method: 'POST',
    body: { reason },
  });
}
