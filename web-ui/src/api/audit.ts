import { apiRequest } from './client';
import type { AuditEntry } from './types';

/* The audit log (auditKeys). */

export function fetchAudit(limit = 200, signal?: AbortSignal): Promise<AuditEntry[]> {
  return apiRequest<AuditEntry[]>(`/api/audit?limit=${limit}`, { signal });
}
