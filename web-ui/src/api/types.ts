/*
 * Types of the control plane's REST API (/api/...), under the names the pages use.
 *
 * Where the control plane's OpenAPI document describes an answer exactly, the type is an alias of
 * its schema in ./generated/openapi.ts, which openapi-typescript writes from the committed snapshot
 * openapi/rampart-openapi.json at every build (`npm run generate:api`; control-plane's
 * OpenApiSnapshotTest keeps the snapshot true). A change of the API then breaks tsc here instead of
 * a page at run time. The interfaces still written by hand describe answers the document does not
 * type yet (a 201 built as a Response, JSON documents typed as JsonNode, fields whose nullability is
 * not yet declared with @Schema(nullable = true) on the Java side); make them aliases as it does.
 */

import type { components } from './generated/openapi';

/** The schemas of the OpenAPI document, by name. */
type Schemas = components['schemas'];

/** Overall or per-check assurance status. */
export type Status = 'PASS' | 'AT_RISK' | 'FAIL' | 'UNKNOWN';

/** ISO-8601 timestamp, e.g. "2025-01-31T09:15:00Z". */
export type Instant = string;

/** One rule a practice fails, is at risk on, or has no data for. */
export interface RuleProblem {
  ruleId: string;
  status: Status;
  reason: string;
  /** No configured check of the practice can give evidence for the rule. */
  configurationGap?: boolean;
}

/** One row of GET /api/fleet/compliance. */
export interface FleetRow {
  id: string;
  name: string;
  groupId: string;
  groupName: string;
  state: Status;
  reason: string | null;
  since: Instant | null;
  lastSeenAt: Instant | null;
  lastVerifiedRestoreAt: Instant | null;
  problems: RuleProblem[];
}

export type FleetSort = 'group' | 'state' | 'name' | 'lastSeen';

/** GET /api/fleet/compliance: one page; counts cover every filter but the state. */
export interface FleetPage {
  generatedAt: Instant;
  counts: Record<Status, number>;
  total: number;
  page: number;
  size: number;
  groups: { id: string; name: string }[];
  practices: FleetRow[];
}

/** GET /api/alerts */
export type Alert = Schemas['AlertView'];

/**
 * One delivery of an alert: GIVEN_UP is a failed one, no more attempts; SKIPPED was never sent because the failure
 * recovered before its (grouped) email went out; lastError is a fixed phrase such as "connection refused".
 */
export type AlertDelivery = Schemas['NotificationView'];

/** GET /api/practices/{id} */
export interface PracticeDetail {
  id: string;
  name: string;
  groupId: string;
  groupName: string;
  providerId: string;
  lastSeenAt: Instant | null;
  agents: Agent[];
  checks: CheckResult[];
  recentEvents: PracticeEvent[];
  /** Set once the practice is decommissioned: it is then read-only and out of the fleet. */
  decommissionedAt?: Instant | null;
  decommissionedBy?: string | null;
  decommissionReason?: string | null;
}

export type Agent = Schemas['AgentView'];

/** GET /api/practices/{id}/compliance: the practice against its group's policy. */
export interface PracticeCompliance {
  practiceId: string;
  practiceName: string;
  groupId: string;
  status: Status | null;
  reason: string | null;
  since: Instant | null;
  evaluatedAt: Instant | null;
  policyVersion: number | null;
  rules: { ruleId: string; status: Status; reason: string; since: Instant; configurationGap?: boolean }[];
  objectives: { downtime: Objective; dataLoss: Objective } | null;
  /** Set while Rampart cannot evaluate the practice (its reason then says since when and why). */
  evaluationFailure?: { since: Instant; attempts: number; error: string; nextAttemptAt: Instant } | null;
}

/** A measured duration (ISO-8601, e.g. "PT6M") against its objective. */
export type Objective = Schemas['Objective'];

export type Contact = Schemas['ContactView'];

export type PolicyException = Schemas['ExceptionView'];

export type CheckResult = Schemas['CheckView'];

export type EventType = 'HEARTBEAT' | 'CHECK_RESULT' | 'AGENT_ENROLLED';

export interface PracticeEvent {
  eventId: string;
  type: EventType;
  checkId: string | null;
  status: Status | null;
  summary: string;
  occurredAt: Instant;
  receivedAt: Instant;
}

/** RFC 9457 problem details (application/problem+json), as sent on errors. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  /** For refused input: what is wrong with each field (a dotted path into the request body). */
  errors?: { field: string; message: string }[];
}

/** GET /api/auth-config (no authentication): where the SPA signs people in. */
export type AuthConfig = Schemas['AuthConfig'];

export type Role =
  'platform-operator' | 'provider-admin' | 'provider-technician' | 'group-manager' | 'practice-manager';

/** GET /api/me: the signed-in person, as the control plane sees them. */
export type Me = Schemas['Me'];

/** POST /api/practices/{id}/enrolment-tokens (201): the token is shown once and works once. */
export interface EnrolmentToken {
  id: string;
  practiceId: string;
  token: string;
  expiresAt: Instant;
  /** The Linux one-liner (also in installCommandLinux). */
  enrolCommand: string;
  installCommandLinux: string;
  /** The PowerShell one-liner for Windows servers. */
  installCommandWindows: string;
}

/** POST /api/agents/{agentId}/revoke */
export type AgentRevocation = Schemas['AgentState'];

/** GET /api/audit?limit=N, newest first. */
export interface AuditEntry {
  id: string;
  occurredAt: Instant;
  actor: string;
  action: string;
  targetType: string;
  targetId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** GET /api/groups */
export type GroupSummary = Schemas['GroupView'];

/** GET /api/groups/{id}/compliance/report?month=YYYY-MM: a month of a group's compliance, for the board. */
export interface MonthlyReport {
  groupId: string;
  groupName: string;
  month: string;
  from: Instant;
  to: Instant;
  generatedAt: Instant;
  practices: number;
  /** Share of practices passing at the end of each day, overall and per rule (0..1). */
  days: { date: string; overall: number | null; rules: Record<string, number> }[];
  failures: {
    practiceId: string;
    practiceName: string;
    ruleId: string;
    /** ISO-8601 duration */
    failingFor: string;
    episodes: number;
    stillFailing: boolean;
  }[];
  objectives: { practiceId: string; practiceName: string; restoreTime: Objective; syncLag: Objective }[];
  planReviews: { practiceId: string; practiceName: string; reviewedAt: Instant | null; reviewedBy: string | null }[];
}

/** A policy document: each rule on or off with its thresholds (ISO-8601 durations as strings, counts as numbers). */
export interface PolicyDocument {
  rules: Record<string, { enabled: boolean } & Record<string, string | number | boolean>>;
}

/** GET /api/groups/{id}/policy and each of .../versions */
export interface PolicyVersion {
  groupId: string;
  version: number;
  document: PolicyDocument;
  changedBy: string | null;
  changedAt: Instant | null;
  comment: string | null;
}

/** GET /api/practices/{id}/plan-reviews */
export type PlanReview = Schemas['ReviewView'];

/** GET|PUT /api/notification-settings */
export interface ProviderNotificationSettings {
  onCallEmail: string | null;
  escalateAfter: string;
  digestEmail: string | null;
  timeZone: string;
  digestTime: string;
  updatedBy?: string | null;
  updatedAt?: Instant | null;
}

/** GET|PUT /api/groups/{id}/notification-settings */
export interface GroupNotificationSettings {
  alertOnAtRisk: boolean;
  quietHours: { from: string; to: string } | null;
  criticalRules: string[];
  timeZone: string;
  digestTime: string;
  updatedBy?: string | null;
  updatedAt?: Instant | null;
  /** ISO-8601, PT0S..PT15M: a practice's failure (warning, recovery) emails within this go out as one; empty: the installation's default. */
  groupWindow?: string | null;
}

/** Sources (issue 13): where a practice's backups are, per check; secrets only as "sealed for N agents". */
export interface SourceSecretState {
  name: string;
  sealedForAgents: number;
  /** Agents of the practice that cannot open it (enrolled or renewed since): re-enter it to seal it for them. */
  agentsWithout: string[];
  sealedAt: string | null;
}

export interface CheckSources {
  checkId: string;
  /** null: not a check the practice runs now. */
  kind: string | null;
  settings: Record<string, string>;
  secrets: SourceSecretState[];
}

export type PracticeSources = Schemas['PracticeSources'];

/** GET /api/people: a person as Keycloak keeps them, with their role and reach. */
export type Person = Schemas['PersonView'];

/** POST /api/people and POST /api/operator/providers/{id}/admins (201). */
export interface Invited {
  person: Person;
  invitationSent: boolean;
  invitationProblem: string | null;
}

export interface PersonInvitation {
  email: string;
  firstName: string;
  lastName: string;
  role: Role;
  groupId?: string;
  practiceId?: string;
}

/** GET /api/operator/providers */
export type ProviderSummary = Schemas['ProviderView'];

/* ---- Check sets (issue 13): GET/POST /api/groups/{id}/checks, /api/practices/{id}/checks, /api/check-templates */

/** One check of a group's set; settings are the kind's protobuf JSON (durations as "93600s"). */
export interface CheckView {
  checkId: string;
  kind: string;
  intervalSeconds: number;
  settings: Record<string, unknown>;
  /** The policy rule the check gives evidence for, null for none. */
  servesRule: string | null;
}

/** One check as a practice runs it: from its group, in place of the group's, or its own; removed: the group's check it does not run. */
export interface PracticeCheckView extends CheckView {
  origin: 'GROUP' | 'PRACTICE_OVERRIDE' | 'PRACTICE';
  removed: boolean;
}

export interface PracticeChecks {
  checks: PracticeCheckView[];
  /** Rules of the group's policy that no check of the practice serves. */
  configurationGaps: string[];
}

/** A check as sent to the server. */
export interface CheckInput {
  checkId?: string;
  kind: string;
  intervalSeconds: number | string;
  settings: Record<string, unknown>;
}

export interface CheckTemplate {
  id: string;
  name: string;
  description: string;
  layers: string[];
}

export interface CheckCatalogue {
  templates: CheckTemplate[];
  kinds: { kind: string; settings: { name: string; type: 'duration' | 'integer' | 'number' | 'boolean' | 'text' }[] }[];
}

/** A reported-job check's healthchecks-style ping URL (provider admins only): GET/POST/DELETE /api/practices/{id}/checks/{checkId}/ping. */
export type PingUrlView = Schemas['PingUrlView'];
