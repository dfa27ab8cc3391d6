import { apiRequest } from './client';
import type { CheckCatalogue, CheckInput, CheckView, PracticeChecks } from './types';

/* The check sets: the catalogue of templates, a group's checks and a practice's own (checkKeys). */

export function fetchCheckCatalogue(signal?: AbortSignal): Promise<CheckCatalogue> {
  return apiRequest<CheckCatalogue>('/api/check-templates', { signal });
}

export function fetchGroupChecks(groupId: string, signal?: AbortSignal): Promise<CheckView[]> {
  return apiRequest<CheckView[]>(`/api/groups/${encodeURIComponent(groupId)}/checks`, { signal });
}

export function addGroupCheck(groupId: string, check: CheckInput): Promise<CheckView> {
  return apiRequest<CheckView>(`/api/groups/${encodeURIComponent(groupId)}/checks`, { method: 'POST', body: check });
}

export function changeGroupCheck(groupId: string, checkId: string, check: CheckInput): Promise<CheckView> {
  return apiRequest<CheckView>(`/api/groups/${encodeURIComponent(groupId)}/checks/${encodeURIComponent(checkId)}`, {
    method: 'PUT',
    body: check,
  });
}

export function removeGroupCheck(groupId: string, checkId: string): Promise<void> {
  return apiRequest<void>(`/api/groups/${encodeURIComponent(groupId)}/checks/${encodeURIComponent(checkId)}`, {
    method: 'DELETE',
  });
}

export function applyCheckTemplate(
  groupId: string,
  body: { template: string; cloudTool: string; restoreSource?: string; replace: boolean },
): Promise<CheckView[]> {
  return apiRequest<CheckView[]>(`/api/groups/${encodeURIComponent(groupId)}/checks/from-template`, {
    method: 'POST',
    body,
  });
}

export function fetchPracticeChecks(practiceId: string, signal?: AbortSignal): Promise<PracticeChecks> {
  return apiRequest<PracticeChecks>(`/api/practices/${encodeURIComponent(practiceId)}/checks`, { signal });
}

export function setPracticeCheck(practiceId: string, checkId: string, check: CheckInput): Promise<PracticeChecks> {
  return apiRequest<PracticeChecks>(
    `/api/practices/${encodeURIComponent(practiceId)}/checks/${encodeURIComponent(checkId)}`,
    {
      method: 'PUT',
      body: check,
    },
  );
}

export function removePracticeCheck(practiceId: string, checkId: string): Promise<PracticeChecks> {
  return apiRequest<PracticeChecks>(
    `/api/practices/${encodeURIComponent(practiceId)}/checks/${encodeURIComponent(checkId)}`,
    {
      method: 'DELETE',
    },
  );
}

export function revertPracticeCheck(practiceId: string, checkId: string): Promise<PracticeChecks> {
  return apiRequest<PracticeChecks>(
    `/api/practices/${encodeURIComponent(practiceId)}/checks/${encodeURIComponent(checkId)}/override`,
    {
      method: 'DELETE',
    },
  );
}
