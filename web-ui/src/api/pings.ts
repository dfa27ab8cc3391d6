import { apiRequest } from './client';
import type { PingUrlView } from './types';

/* A check's ping URL, which a backup job outside the agent calls (practiceKeys.pingUrl). */

function pingPath(practiceId: string, checkId: string): string {
  return `/api/practices/${encodeURIComponent(practiceId)}/checks/${encodeURIComponent(checkId)}/ping`;
}

export function fetchPingUrl(practiceId: string, checkId: string, signal?: AbortSignal): Promise<PingUrlView> {
  return apiRequest<PingUrlView>(pingPath(practiceId, checkId), { signal });
}

/** Creates the check's ping URL, or rotates it (the old one answers 404 from then on). */
export function rotatePingUrl(practiceId: string, checkId: string): Promise<PingUrlView> {
  return apiRequest<PingUrlView>(pingPath(practiceId, checkId), { method: 'POST' });
}

export function revokePingUrl(practiceId: string, checkId: string): Promise<PingUrlView> {
  return apiRequest<PingUrlView>(pingPath(practiceId, checkId), { method: 'DELETE' });
}
