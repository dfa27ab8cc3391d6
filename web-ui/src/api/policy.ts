import { apiRequest } from './client';
import type { PolicyDocument, PolicyVersion } from './types';

/* A group's policy and its versions (policyKeys). */

export function fetchPolicy(groupId: string, signal?: AbortSignal): Promise<PolicyVersion> {
  return apiRequest<PolicyVersion>(`/api/groups/${encodeURIComponent(groupId)}/policy`, { signal });
}

export function fetchPolicyVersions(groupId: string, signal?: AbortSignal): Promise<PolicyVersion[]> {
  return apiRequest<PolicyVersion[]>(`/api/groups/${encodeURIComponent(groupId)}/policy/versions`, { signal });
}

export function changePolicy(
  groupId: string,
  document: PolicyDocument,
  comment: string,
  basedOnVersion: number,
): Promise<PolicyVersion> {
  return apiRequest<PolicyVersion>(`/api/groups/${encodeURIComponent(groupId)}/policy`, {
    method: 'PUT',
    body: { document, comment, basedOnVersion },
  });
}
