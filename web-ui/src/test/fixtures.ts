import type { CheckCatalogue, FleetPage, PracticeChecks, PracticeCompliance, PracticeDetail } from '../api/types';

/** The clock the fixtures are written against. */
export const NOW = Date.parse('2025-03-01T12:00:00Z');

/** GET /api/fleet/compliance, sorted by group with the worst first in each, as the API sends it. */
export const fleetFixture: FleetPage = {
  generatedAt: '2025-03-01T11:59:50Z',
  counts: { FAIL: 1, AT_RISK: 1, UNKNOWN: 0, PASS: 2 },
  total: 4,
  page: 0,
  size: 50,
  groups: [
    { id: 'g-city', name: 'City Group' },
    { id: 'g-coast', name: 'Coast Group' },
  ],
  practices: [
    {
      id: 'p-birch',
      name: 'Birch Lane Clinic',
      groupId: 'g-city',
      groupName: 'City Group',
      state: 'FAIL',
      reason: 'restore-test: the last restore test failed',
      since: '2025-02-28T09:00:00Z',
      lastSeenAt: null,
      lastVerifiedRestoreAt: null,
      problems: [
        { ruleId: 'restore-test', status: 'FAIL', reason: 'the last restore test failed: checksum mismatch' },
        { ruleId: 'nas-copy', status: 'FAIL', reason: 'last NAS copy 40 h ago (limit 26 h)' },
        { ruleId: 'ups', status: 'AT_RISK', reason: 'self-test 91 days ago' },
        { ruleId: 'plan-review', status: 'UNKNOWN', reason: 'no plan review recorded' },
      ],
    },
    {
      id: 'p-oak',
      name: 'Oak Street Surgery',
      groupId: 'g-city',
      groupName: 'City Group',
      state: 'AT_RISK',
      reason: 'nas-copy: last NAS copy 27 h ago (limit 26 h)',
      since: '2025-03-01T08:00:00Z',
      lastSeenAt: '2025-03-01T09:00:00Z',
      lastVerifiedRestoreAt: '2025-02-26T12:00:00Z',
      problems: [{ ruleId: 'nas-copy', status: 'AT_RISK', reason: 'last NAS copy 27 h ago (limit 26 h)' }],
    },
    {
      id: 'p-alder',
      name: 'Alder Practice',
      groupId: 'g-coast',
      groupName: 'Coast Group',
      state: 'PASS',
      reason: 'every rule passes',
      since: '2025-02-01T00:00:00Z',
      lastSeenAt: '2025-03-01T11:59:30Z',
      lastVerifiedRestoreAt: '2025-02-28T12:00:00Z',
      problems: [],
    },
    {
      id: 'p-harbour',
      name: 'Harbour Dental',
      groupId: 'g-coast',
      groupName: 'Coast Group',
      state: 'PASS',
      reason: 'every rule passes',
      since: '2025-02-01T00:00:00Z',
      lastSeenAt: '2025-03-01T11:58:00Z',
      lastVerifiedRestoreAt: '2025-02-27T12:00:00Z',
      problems: [],
    },
  ],
};

export const practiceFixture: PracticeDetail = {
  id: 'p-oak',
  name: 'Oak Street Surgery',
  groupId: 'g-city',
  groupName: 'City Group',
  providerId: 'prov-1',
  lastSeenAt: '2025-03-01T11:58:00Z',
  agents: [
    {
      id: 'a-1',
      hostname: 'oak-server',
      agentVersion: '0.1.0',
      operatingSystem: 'Debian 12',
      enrolledAt: '2025-02-01T10:00:00Z',
      lastSeenAt: '2025-03-01T11:58:00Z',
      revoked: false,
      certificateExpiresAt: null,
      clockOffsetSeconds: null,
      eventsSetAside: 0,
      oldestSetAsideAt: null,
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

/** GET /api/practices/p-oak/compliance */
export const practiceComplianceFixture: PracticeCompliance = {
  practiceId: 'p-oak',
  practiceName: 'Oak Street Surgery',
  groupId: 'g-city',
  status: 'FAIL',
  reason: 'nas-copy: last NAS copy 30 h ago (limit 26 h)',
  since: '2025-03-01T10:00:00Z',
  evaluatedAt: '2025-03-01T11:59:00Z',
  policyVersion: 2,
  rules: [
    { ruleId: 'ups', status: 'PASS', reason: 'on line, self-test passed 12 days ago', since: '2025-02-01T00:00:00Z' },
    {
      ruleId: 'nas-copy',
      status: 'FAIL',
      reason: 'last NAS copy 30 h ago (limit 26 h)',
      since: '2025-03-01T10:00:00Z',
    },
    {
      ruleId: 'restore-test',
      status: 'AT_RISK',
      reason: 'last restore test 7 days ago (limit 7 days)',
      since: '2025-03-01T11:00:00Z',
    },
  ],
  objectives: {
    downtime: {
      objective: 'PT15M',
      measured: 'PT6M30S',
      measuredAt: '2025-02-26T12:00:00Z',
      met: true,
      source: 'restore-test',
    },
    dataLoss: { objective: 'PT15M', measured: null, measuredAt: null, met: null, source: null },
  },
};

/**
 * The practice page's other calls (rules, contacts, exceptions) answered from fixtures; null for
 * a URL that is not one of them.
 */
export function practiceSideCalls(url: string): Response | null {
  if (url.endsWith('/compliance')) return Response.json(practiceComplianceFixture);
  if (url.endsWith('/contacts'))
    return Response.json([
      {
        id: 'c-1',
        groupId: 'g-city',
        practiceId: null,
        name: 'City IT desk',
        email: 'desk@city-it.example',
        role: 'IT_CONTACT',
      },
    ]);
  if (url.endsWith('/exceptions')) return Response.json([]);
  if (url.endsWith('/plan-reviews')) return Response.json([]);
  if (url.endsWith('/sources')) return Response.json(practiceSourcesFixture);
  if (url.endsWith('/checks')) return Response.json(practiceChecksFixture);
  if (url === '/api/check-templates') return Response.json(checkCatalogueFixture);
  if (url.startsWith('/api/maintenance-windows')) return Response.json([]);
  return null;
}

/** The Sources section's answer: one check with a folder and a password sealed for one of two agents. */
export const practiceSourcesFixture = {
  practiceId: 'p-oak',
  checks: [
    { checkId: 'nas-copy', kind: 'BACKUP_FOLDER', settings: { path: '/mnt/nas/backups' }, secrets: [] },
    {
      checkId: 'cloud-copy',
      kind: 'RESTIC_REPOSITORY',
      settings: {},
      secrets: [{ name: 'password', sealedForAgents: 1, agentsWithout: ['a-2'], sealedAt: '2026-11-29T10:00:00Z' }],
    },
  ],
  agents: [
    { agentId: 'a-1', hostname: 'server-1', keyId: 'k1', publicKey: 'BA==' },
    { agentId: 'a-2', hostname: 'server-2', keyId: 'k2', publicKey: 'BA==' },
  ],
  settingKeys: ['path', 'repository'],
};

/** GET /api/practices/p-oak/checks: its group's NAS copy, a borg cloud copy of its own way, and no UPS. */
export const practiceChecksFixture: PracticeChecks = {
  checks: [
    {
      checkId: 'cloud-copy',
      kind: 'BORG_REPOSITORY',
      intervalSeconds: 3600,
      settings: { minSnapshots: 2 },
      servesRule: 'cloud-copy',
      origin: 'PRACTICE_OVERRIDE',
      removed: false,
    },
    {
      checkId: 'nas-copy',
      kind: 'BACKUP_FOLDER',
      intervalSeconds: 900,
      settings: { maxAge: '93600s', readBack: true },
      servesRule: 'nas-copy',
      origin: 'GROUP',
      removed: false,
    },
    {
      checkId: 'ups',
      kind: 'UPS',
      intervalSeconds: 300,
      settings: {},
      servesRule: 'ups',
      origin: 'GROUP',
      removed: true,
    },
  ],
  configurationGaps: ['restore-test', 'ups'],
};

/** GET /api/check-templates, cut down to the kinds the fixtures use. */
export const checkCatalogueFixture: CheckCatalogue = {
  templates: [
    {
      id: 'reference',
      name: 'Reference: all layers',
      description: 'Every layer of the reference policy',
      layers: ['cloud-copy', 'nas-copy', 'ups'],
    },
  ],
  kinds: [
    {
      kind: 'BACKUP_FOLDER',
      settings: [
        { name: 'maxAge', type: 'duration' },
        { name: 'minSizeBytes', type: 'integer' },
        { name: 'readBack', type: 'boolean' },
      ],
    },
    {
      kind: 'BORG_REPOSITORY',
      settings: [
        { name: 'maxAge', type: 'duration' },
        { name: 'minSnapshots', type: 'integer' },
      ],
    },
    { kind: 'UPS', settings: [{ name: 'minRuntime', type: 'duration' }] },
  ],
};
