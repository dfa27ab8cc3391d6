import { apiRequest } from './client';
import type { Alert } from './types';

/* Open and resolved alerts, and their acknowledgement (alertKeys). */

export function fetchAlerts(status: 'open' | 'resolved' | 'all', signal?: AbortSignal): Promise<Alert[]> {
  return apiRequest<Alert[]>(`/api/alerts?status=${status}`, { signal });
}

export function acknowledgeAlert(alertId: string, note: string): Promise<Alert> {
  return apiRequest<Alert>(`/api/alerts/${encodeURIComponent(alertId)}/acknowledge`, {
    method: 'POST',
    body: { note },
  });
}
