import { describe, expect, it } from 'vitest';
import {
  archiveBlocker,
  decommissionConsequences,
  decommissionedLine,
  groupRows,
  moveTargets,
  nameProblem,
  type TenancyGroup,
  type TenancyPractice,
} from './tenancy';

const group = (id: string, name: string, archivedAt: string | null = null): TenancyGroup => ({
  id,
  providerId: 'prov-1',
  name,
  timeZone: 'Europe/London',
  createdAt: null,
  archivedAt,
  archivedBy: archivedAt ? 'alice' : null,
});

const practice = (
  id: string,
  groupId: string,
  name: string,
  decommissionedAt: string | null = null,
): TenancyPractice => ({
  id,
  groupId,
  providerId: 'prov-1',
  name,
  createdAt: null,
  decommissionedAt,
  decommissionedBy: decommissionedAt ? 'alice' : null,
  decommissionReason: null,
});

const groups = [group('g-west', 'West'), group('g-old', 'Old Town', '2025-01-01T00:00:00Z'), group('g-city', 'City')];
const practices = [
  practice('p-oak', 'g-city', 'Oak Street'),
  practice('p-ash', 'g-city', 'Ash Lane', '2025-02-01T10:00:00Z'),
  practice('p-elm', 'g-city', 'elm Road'),
  practice('p-gone', 'g-old', 'Gone Surgery', '2024-12-01T10:00:00Z'),
];

describe('groupRows', () => {
  it('leaves out archived groups and decommissioned practices unless asked, live ones by name', () => {
    const rows = groupRows(groups, practices, false);
    expect(rows.map((r) => r.group.name)).toEqual(['City', 'West']);
    expect(rows[0]!.practices.map((p) => p.name)).toEqual(['elm Road', 'Oak Street']);
  });

  it('shows them when asked: archived groups last, decommissioned practices after the live ones', () => {
    const rows = groupRows(groups, practices, true);
    expect(rows.map((r) => r.group.name)).toEqual(['City', 'West', 'Old Town']);
    expect(rows[0]!.practices.map((p) => p.name)).toEqual(['elm Road', 'Oak Street', 'Ash Lane']);
    expect(rows[0]!.livePractices).toHaveLength(2);
  });
});

describe('archiveBlocker', () => {
  it('names the live practices that keep a group from being archived', () => {
    const [city, west] = groupRows(groups, practices, true);
    expect(archiveBlocker(city!)).toBe(
      'City still has 2 live practices: “elm Road”, “Oak Street”. Move each to another group or decommission it first.',
    );
    expect(archiveBlocker(west!)).toBeNull();
  });
});

describe('moveTargets', () => {
  it('offers the other live groups only', () => {
    expect(moveTargets(groups, practices[0]!).map((g) => g.id)).toEqual(['g-west']);
  });
});

describe('decommissioning', () => {
  it('says what will happen before it happens', () => {
    const lines = decommissionConsequences('Oak Street').join(' ');
    expect(lines).toContain('Every agent of Oak Street is revoked');
    expect(lines).toContain('nobody is emailed');
    expect(lines).toContain('kept, read-only, for 7 years');
    expect(lines).toContain('cannot be undone');
  });

  it('says who decommissioned a practice and when, with the reason', () => {
    expect(decommissionedLine({ decommissionedAt: null })).toBeNull();
    const line = decommissionedLine({
      decommissionedAt: '2025-02-01T10:00:00Z',
      decommissionedBy: 'alice',
      decommissionReason: 'closed',
    });
    expect(line).toMatch(/^Decommissioned on .*2025.* by alice: closed$/);
  });
});

describe('nameProblem', () => {
  it('checks names as the server does', () => {
    expect(nameProblem('  ')).toBe('A name is needed');
    expect(nameProblem('x'.repeat(201))).toBe('At most 200 characters (this one has 201)');
    expect(nameProblem('Tab\there')).toBe('No control characters such as tabs or line breaks');
    expect(nameProblem(' Oak Street ')).toBeNull();
  });
});
