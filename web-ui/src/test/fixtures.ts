import type { Fleet, PracticeDetail } from '../api/types';

/** The clock the fixtures are written against. */
export const NOW = Date.parse('2025-03-01T12:00:00Z');

export const fleetFixture: Fleet = {
  generatedAt: '2025-03-01T11:59:50Z',
  practices: [
    {
      id: 'p-harbour',
      name: 'Harbour Dental',
      groupId: 'g-coast',
      groupName: 'Coast Group',
      status: 'PASS',
      lastSeenAt: '2025-03-01T11:58:00Z',
      checkCount: 4,
      failingCheckCount: 0,
      statusReason: 'All checks passing',
    },
    {
      id: 'p-oak',
      name: 'Oak Street Surgery',
      groupId: 'g-city',
      groupName: 'City Group',
      status: 'AT_RISK',
      lastSeenAt: '2025-03-01T09:00:00Z',
      checkCount: 4,
      failingCheckCount: 1,
      statusReason: 'Last backup is 30 h old',
    },
    {
      id: 'p-birch',
      name: 'Birch Lane Clinic',
      groupId: 'g-city',
      groupName: 'City Group',
      status: 'FAIL',
      lastSeenAt: null,
      checkCount: 3,
      failingCheckCount: 2,
      statusReason: 'Restore test failed',
    },
    {
      id: 'p-alder',
      name: 'Alder Practice',
      groupId: 'g-coast',
      groupName: 'Coast Group',
      status: 'PASS',
      lastSeenAt: '2025-03-01T11:59:30Z',
      checkCount: 4,
      failingCheckCount: 0,
      statusReason: 'All checks passing',
    },
  ],
};

export const practiceFixture: PracticeDetail = {
  id: 'p-oak',
  name: 'Oak Street Surgery',
  groupId: 'g-city',
  groupName: 'City Group',
  providerId: 'prov-1',
  status: 'AT_RISK',
  statusReason: 'Last backup is 30 h old',
  lastSeenAt: '2025-03-01T11:58:00Z',
  agents: [
    {
      id: 'a-1',
      hostname: 'oak-server',
      agentVersion: '0.1.0',
      enrolledAt: '2025-02-01T10:00:00Z',
      lastSeenAt: '2025-03-01T11:58:00Z',
      revoked: false,
    },
  ],
  checks: [
    {
      checkId: 'backup-age',
      kind: 'BACKUP_AGE',
      status: 'AT_RISK',
      summary: 'Newest backup is 30 h old',
      observedAt: '2025-03-01T11:55:00Z',
      details: { newestBackup: '2025-02-28T06:00:00Z', ageHours: 30, target: null },
    },
  ],
  recentEvents: [
    {
      eventId: 'e-1',
      type: 'HEARTBEAT',
      checkId: null,
      status: null,
      summary: 'Heartbeat',
      occurredAt: '2025-03-01T11:00:00Z',
      receivedAt: '2025-03-01T11:00:01Z',
    },
    {
      eventId: 'e-2',
      type: 'CHECK_RESULT',
      checkId: 'backup-age',
      status: 'AT_RISK',
      summary: 'Newest backup is 30 h old',
      occurredAt: '2025-03-01T11:55:00Z',
      receivedAt: '2025-03-01T11:55:02Z',
    },
  ],
};
