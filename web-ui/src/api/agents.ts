import { apiRequest } from './client';
import type { AgentRevocation, EnrolmentToken } from './types';

/* A practice's agents: the enrolment token that installs one, and the revoke that shuts one out. */

export function createEnrolmentToken(practiceId: string, validForHours = 24): Promise<EnrolmentToken> {
  return apiRequest<EnrolmentToken>(`/api/practices/${encodeURIComponent(practiceId)}/enrolment-tokens`, {
    method: 'POST',
    body: { validForHours },
  });
}

export function revokeAgent(agentId: string): Promise<AgentRevocation> {
  return apiRequest<AgentRevocation>(`/api/agents/${encodeURIComponent(agentId)}/revoke`, {
    method: 'POST',
  });
}
