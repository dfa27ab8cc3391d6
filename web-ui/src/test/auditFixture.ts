import type { AuditEntry } from '../api/types';

/** Newest first, as GET /api/audit answers. */
export const auditFixture: AuditEntry[] = [
  {
    id: 'au-3',
    occurredAt: '2025-03-01T11:50:00Z',
    actor: 'alice',
    action: 'agent.revoke',
    targetType: 'agent',
    targetId: 'a-1',
    before: { revoked: false, hostname: 'oak-server' },
    after: { revoked: true, hostname: 'oak-server' },
  },
  {
    id: 'au-2',
    occurredAt: '2025-03-01T09:00:00Z',
    actor: 'alice',
    action: 'enrolment-token.create',
    targetType: 'practice',
    targetId: 'p-oak',
    before: null,
    after: { expiresAt: '2025-03-02T09:00:00Z' },
  },
  {
    id: 'au-1',
    occurredAt: '2025-02-20T08:00:00Z',
    actor: 'system',
    action: 'agent.enrol',
    targetType: 'agent',
    targetId: 'a-1',
    before: null,
    after: null,
  },
];
