import { apiRequest } from './client';
import type { PracticeSources } from './types';
import type { SealedForAgent } from '../lib/sealing';

/*
 * Where a practice's checks read their backups from (practiceKeys.sources), with secrets sealed in
 * this browser for each agent.
 */

export function fetchPracticeSources(practiceId: string, signal?: AbortSignal): Promise<PracticeSources> {
  return apiRequest(`/api/practices/${practiceId}/sources`, { signal });
}

export function saveCheckSources(
  practiceId: string,
  checkId: string,
  settings: Record<string, string>,
): Promise<PracticeSources> {
  return apiRequest(`/api/practices/${practiceId}/sources/${encodeURIComponent(checkId)}`, {
    method: 'PUT',
    body: { settings },
  });
}

/** Sends a secret sealed in this browser for each agent; the secret itself never leaves the page. */
export function saveSealedSecret(
  practiceId: string,
  checkId: string,
  name: string,
  sealed: SealedForAgent[],
): Promise<PracticeSources> {
  return apiRequest(`/api/practices/${practiceId}/sources/${encodeURIComponent(checkId)}/secrets/${name}`, {
    method: 'PUT',
    body: { sealed },
  });
}

export function forgetSealedSecret(practiceId: string, checkId: string, name: string): Promise<PracticeSources> {
  return apiRequest(`/api/practices/${practiceId}/sources/${encodeURIComponent(checkId)}/secrets/${name}`, {
    method: 'DELETE',
  });
}
