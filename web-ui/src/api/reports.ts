import { apiRequest } from './client';
import type { MonthlyReport } from './types';

/* A group's monthly report (reportKeys); its PDF and CSV come through download() of client.ts. */

export function fetchMonthlyReport(groupId: string, month: string, signal?: AbortSignal): Promise<MonthlyReport> {
  return apiRequest<MonthlyReport>(
    `/api/groups/${encodeURIComponent(groupId)}/compliance/report?month=${encodeURIComponent(month)}`,
    {
      signal,
    },
  );
}
