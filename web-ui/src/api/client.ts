import type {
  AgentRevocation,
  Alert,
  Contact,
  GroupNotificationSettings,
  GroupSummary,
  MonthlyReport,
  PolicyDocument,
  PolicyVersion,
  FleetPage,
  PlanReview,
  PolicyException,
  PracticeCompliance,
  ProviderNotificationSettings,
  AuditEntry,
  AuthConfig,
  EnrolmentToken,
  Me,
  PracticeDetail,
  Problem,
  PracticeSources,
  CheckCatalogue,
  CheckInput,
  CheckView,
  PracticeChecks,
  PingUrlView,
} from './types';
import type { SealedForAgent } from '../lib/sealing';
import type { TenancyGroup, TenancyPractice } from '../lib/tenancy';

/** A non-2xx answer of the API; the message is the problem's detail when there is one. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | null;

  constructor(status: number, message: string, problem: Problem | null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}

export function isForbidden(error: unknown): boolean {
  return error instanceof ApiError && error.status === 403;
}

/**
 * How the client gets a bearer token. The AuthProvider installs these (see src/auth/); with
 * none installed, requests go without an Authorization header.
 */
export interface ApiAuth {
  /** The current access token, or null when nobody is signed in. */
  accessToken(): Promise<string | null>;
  /** One silent renew (refresh token); the new access token, or null when it failed. */
  renew(): Promise<string | null>;
  /** The session is over (a 401 survived a renew): send the person to sign in. */
  unauthenticated(): void;
}

let auth: ApiAuth | null = null;

/** Installs the token source for every request; returns a function that removes it again. */
export function setApiAuth(next: ApiAuth | null): () => void {
  auth = next;
  return () => {
    if (auth === next) auth = null;
  };
}

async function readProblem(response: Response): Promise<Problem | null> {
  try {
    const body: unknown = await response.json();
    return body !== null && typeof body === 'object' ? (body as Problem) : null;
  } catch {
    return null;
  }
}

async function toApiError(response: Response): Promise<ApiError> {
  const problem = await readProblem(response);
  const message = problem?.detail || problem?.title || `${response.status} ${response.statusText}`.trim();
  return new ApiError(response.status, message, problem);
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
  /** Send no token and never renew: for the few endpoints that need no sign-in. */
  anonymous?: boolean;
  /** What the answer may be; JSON unless said otherwise (a report is a PDF or CSV). */
  accept?: string;
}

function send(
  path: string,
  { method = 'GET', body, signal, accept = 'application/json' }: RequestOptions,
  token: string | null,
) {
  const headers: Record<string, string> = { Accept: accept };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  return fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
  });
}

/**
 * One API call with the bearer token. On 401: one silent renew and one more try with the new
 * token; if that fails too, the session is over and the person is sent to sign in.
 */
async function authorised(path: string, options: RequestOptions = {}): Promise<Response> {
  const tokens = options.anonymous ? null : auth;
  let response = await send(path, options, tokens ? await tokens.accessToken() : null);

  if (response.status === 401 && tokens) {
    const renewed = await tokens.renew();
    if (renewed) response = await send(path, options, renewed);
    if (response.status === 401) {
      const error = await toApiError(response);
      tokens.unauthenticated();
      throw error;
    }
  }
  if (!response.ok) throw await toApiError(response);
  return response;
}

async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await authorised(path, options);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** A file the API sends (a report), with the name it suggests. */
export interface Download {
  blob: Blob;
  filename: string;
}

/** GETs a file with the bearer token (a plain link would go without it). */
export async function download(path: string, fallbackName: string): Promise<Download> {
  // the server's 406 if the browser asked for JSON; its problem+json still arrives if it refuses
  const response = await authorised(path, { accept: '*/*' });
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const match = /filename="?([^";]+)"?/.exec(disposition);
  return { blob: await response.blob(), filename: match?.[1] ?? fallbackName };
}

export function fetchAuthConfig(signal?: AbortSignal): Promise<AuthConfig> {
  return request<AuthConfig>('/api/auth-config', { signal, anonymous: true });
}

export function fetchMe(signal?: AbortSignal): Promise<Me> {
  return request<Me>('/api/me', { signal });
}

/** The fleet page's filters; empty ones are left out of the query. */
export interface FleetQuery {
  state?: string;
  groupId?: string;
  rule?: string;
  q?: string;
  sort?: string;
  page?: number;
  size?: number;
}

export function fleetQueryString(query: FleetQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function fetchFleetPage(query: FleetQuery, signal?: AbortSignal): Promise<FleetPage> {
  return request<FleetPage>(`/api/fleet/compliance${fleetQueryString(query)}`, { signal });
}

export function fetchPracticeCompliance(id: string, signal?: AbortSignal): Promise<PracticeCompliance> {
  return request<PracticeCompliance>(`/api/practices/${encodeURIComponent(id)}/compliance`, { signal });
}

export function fetchPracticeContacts(id: string, signal?: AbortSignal): Promise<Contact[]> {
  return request<Contact[]>(`/api/practices/${encodeURIComponent(id)}/contacts`, { signal });
}

export function fetchPracticeExceptions(id: string, signal?: AbortSignal): Promise<PolicyException[]> {
  return request<PolicyException[]>(`/api/practices/${encodeURIComponent(id)}/exceptions`, { signal });
}

export function fetchGroups(signal?: AbortSignal): Promise<GroupSummary[]> {
  return request<GroupSummary[]>('/api/groups', { signal });
}

export function fetchMonthlyReport(groupId: string, month: string, signal?: AbortSignal): Promise<MonthlyReport> {
  return request<MonthlyReport>(
    `/api/groups/${encodeURIComponent(groupId)}/compliance/report?month=${encodeURIComponent(month)}`,
    {
      signal,
    },
  );
}

export function addPractice(groupId: string, name: string): Promise<{ id: string; groupId: string; name: string }> {
  return request(`/api/groups/${encodeURIComponent(groupId)}/practices`, { method: 'POST', body: { name } });
}

export function fetchPolicy(groupId: string, signal?: AbortSignal): Promise<PolicyVersion> {
  return request<PolicyVersion>(`/api/groups/${encodeURIComponent(groupId)}/policy`, { signal });
}

export function fetchPolicyVersions(groupId: string, signal?: AbortSignal): Promise<PolicyVersion[]> {
  return request<PolicyVersion[]>(`/api/groups/${encodeURIComponent(groupId)}/policy/versions`, { signal });
}

export function changePolicy(
  groupId: string,
  document: PolicyDocument,
  comment: string,
  basedOnVersion: number,
): Promise<PolicyVersion> {
  return request<PolicyVersion>(`/api/groups/${encodeURIComponent(groupId)}/policy`, {
    method: 'PUT',
    body: { document, comment, basedOnVersion },
  });
}

export function addContact(
  practiceId: string,
  contact: { name: string; email: string; role: string },
): Promise<Contact> {
  return request<Contact>(`/api/practices/${encodeURIComponent(practiceId)}/contacts`, {
    method: 'POST',
    body: contact,
  });
}

export function removeContact(practiceId: string, contactId: string): Promise<void> {
  return request<void>(`/api/practices/${encodeURIComponent(practiceId)}/contacts/${encodeURIComponent(contactId)}`, {
    method: 'DELETE',
  });
}

export function addException(
  practiceId: string,
  exception: { ruleId: string | null; reason: string; approvedBy: string; until: string },
): Promise<PolicyException> {
  return request<PolicyException>(`/api/practices/${encodeURIComponent(practiceId)}/exceptions`, {
    method: 'POST',
    body: exception,
  });
}

export function revokeException(practiceId: string, exceptionId: string): Promise<PolicyException> {
  return request<PolicyException>(
    `/api/practices/${encodeURIComponent(practiceId)}/exceptions/${encodeURIComponent(exceptionId)}`,
    {
      method: 'DELETE',
    },
  );
}

export function fetchPlanReviews(practiceId: string, signal?: AbortSignal): Promise<PlanReview[]> {
  return request<PlanReview[]>(`/api/practices/${encodeURIComponent(practiceId)}/plan-reviews`, { signal });
}

export function recordPlanReview(
  practiceId: string,
  review: { reviewedBy: string; reviewedAt: string; note: string; documentUrl: string },
): Promise<PlanReview> {
  return request<PlanReview>(`/api/practices/${encodeURIComponent(practiceId)}/plan-reviews`, {
    method: 'POST',
    body: review,
  });
}

export function fetchProviderNotificationSettings(signal?: AbortSignal): Promise<ProviderNotificationSettings> {
  return request<ProviderNotificationSettings>('/api/notification-settings', { signal });
}

export function saveProviderNotificationSettings(
  settings: ProviderNotificationSettings,
): Promise<ProviderNotificationSettings> {
  return request<ProviderNotificationSettings>('/api/notification-settings', { method: 'PUT', body: settings });
}

export function fetchGroupNotificationSettings(
  groupId: string,
  signal?: AbortSignal,
): Promise<GroupNotificationSettings> {
  return request<GroupNotificationSettings>(`/api/groups/${encodeURIComponent(groupId)}/notification-settings`, {
    signal,
  });
}

export function saveGroupNotificationSettings(
  groupId: string,
  settings: GroupNotificationSettings,
): Promise<GroupNotificationSettings> {
  return request<GroupNotificationSettings>(`/api/groups/${encodeURIComponent(groupId)}/notification-settings`, {
    method: 'PUT',
    body: settings,
  });
}

export function fetchAlerts(status: 'open' | 'resolved' | 'all', signal?: AbortSignal): Promise<Alert[]> {
  return request<Alert[]>(`/api/alerts?status=${status}`, { signal });
}

export function acknowledgeAlert(alertId: string, note: string): Promise<Alert> {
  return request<Alert>(`/api/alerts/${encodeURIComponent(alertId)}/acknowledge`, {
    method: 'POST',
    body: { note },
  });
}

export function fetchPractice(id: string, signal?: AbortSignal): Promise<PracticeDetail> {
  return request<PracticeDetail>(`/api/practices/${encodeURIComponent(id)}`, { signal });
}

export function createEnrolmentToken(practiceId: string, validForHours = 24): Promise<EnrolmentToken> {
  return request<EnrolmentToken>(`/api/practices/${encodeURIComponent(practiceId)}/enrolment-tokens`, {
    method: 'POST',
    body: { validForHours },
  });
}

export function revokeAgent(agentId: string): Promise<AgentRevocation> {
  return request<AgentRevocation>(`/api/agents/${encodeURIComponent(agentId)}/revoke`, {
    method: 'POST',
  });
}

export function fetchAudit(limit = 200, signal?: AbortSignal): Promise<AuditEntry[]> {
  return request<AuditEntry[]>(`/api/audit?limit=${limit}`, { signal });
}

export function fetchPracticeSources(practiceId: string, signal?: AbortSignal): Promise<PracticeSources> {
  return request(`/api/practices/${practiceId}/sources`, { signal });
}

export function saveCheckSources(
  practiceId: string,
  checkId: string,
  settings: Record<string, string>,
): Promise<PracticeSources> {
  return request(`/api/practices/${practiceId}/sources/${encodeURIComponent(checkId)}`, {
    method: 'PUT',
    body: { settings },
  });
}

/** Sends a secret sealed in this browser for each agent; the secret itself never leaves the page. */
export function saveSealedSecret(
  practiceId: string,
  checkId: string,
  name: string,
  sealed: SealedForAgent[],
): Promise<PracticeSources> {
  return request(`/api/practices/${practiceId}/sources/${encodeURIComponent(checkId)}/secrets/${name}`, {
    method: 'PUT',
    body: { sealed },
  });
}

export function forgetSealedSecret(practiceId: string, checkId: string, name: string): Promise<PracticeSources> {
  return request(`/api/practices/${practiceId}/sources/${encodeURIComponent(checkId)}/secrets/${name}`, {
    method: 'DELETE',
  });
}

/** One JSON call of the API with the signed-in person's token (for feature modules such as api/people.ts). */
export function apiRequest<T>(
  path: string,
  options: { method?: 'GET' | 'POST' | 'PUT' | 'DELETE'; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  return request<T>(path, options);
}

/* ---- Check sets */

export function fetchCheckCatalogue(signal?: AbortSignal): Promise<CheckCatalogue> {
  return request<CheckCatalogue>('/api/check-templates', { signal });
}

export function fetchGroupChecks(groupId: string, signal?: AbortSignal): Promise<CheckView[]> {
  return request<CheckView[]>(`/api/groups/${encodeURIComponent(groupId)}/checks`, { signal });
}

export function addGroupCheck(groupId: string, check: CheckInput): Promise<CheckView> {
  return request<CheckView>(`/api/groups/${encodeURIComponent(groupId)}/checks`, { method: 'POST', body: check });
}

export function changeGroupCheck(groupId: string, checkId: string, check: CheckInput): Promise<CheckView> {
  return request<CheckView>(`/api/groups/${encodeURIComponent(groupId)}/checks/${encodeURIComponent(checkId)}`, {
    method: 'PUT',
    body: check,
  });
}

export function removeGroupCheck(groupId: string, checkId: string): Promise<void> {
  return request<void>(`/api/groups/${encodeURIComponent(groupId)}/checks/${encodeURIComponent(checkId)}`, {
    method: 'DELETE',
  });
}

export function applyCheckTemplate(
  groupId: string,
  body: { template: string; cloudTool: string; restoreSource?: string; replace: boolean },
): Promise<CheckView[]> {
  return request<CheckView[]>(`/api/groups/${encodeURIComponent(groupId)}/checks/from-template`, {
    method: 'POST',
    body,
  });
}

export function fetchPracticeChecks(practiceId: string, signal?: AbortSignal): Promise<PracticeChecks> {
  return request<PracticeChecks>(`/api/practices/${encodeURIComponent(practiceId)}/checks`, { signal });
}

export function setPracticeCheck(practiceId: string, checkId: string, check: CheckInput): Promise<PracticeChecks> {
  return request<PracticeChecks>(
    `/api/practices/${encodeURIComponent(practiceId)}/checks/${encodeURIComponent(checkId)}`,
    {
      method: 'PUT',
      body: check,
    },
  );
}

export function removePracticeCheck(practiceId: string, checkId: string): Promise<PracticeChecks> {
  return request<PracticeChecks>(
    `/api/practices/${encodeURIComponent(practiceId)}/checks/${encodeURIComponent(checkId)}`,
    {
      method: 'DELETE',
    },
  );
}

export function revertPracticeCheck(practiceId: string, checkId: string): Promise<PracticeChecks> {
  return request<PracticeChecks>(
    `/api/practices/${encodeURIComponent(practiceId)}/checks/${encodeURIComponent(checkId)}/override`,
    {
      method: 'DELETE',
    },
  );
}

// The tenancy lifecycle (provider admins): groups and practices, archived and decommissioned ones included on request.
export function fetchTenancyGroups(signal?: AbortSignal): Promise<TenancyGroup[]> {
  return request<TenancyGroup[]>('/api/groups?includeArchived=true', { signal });
}

export function fetchTenancyPractices(signal?: AbortSignal): Promise<TenancyPractice[]> {
  return request<TenancyPractice[]>('/api/practices?includeDecommissioned=true', { signal });
}

export function createGroup(name: string, timeZone: string): Promise<TenancyGroup> {
  return request('/api/groups', { method: 'POST', body: { name, timeZone } });
}

export function changeGroup(groupId: string, name: string, timeZone: string): Promise<TenancyGroup> {
  return request(`/api/groups/${encodeURIComponent(groupId)}`, { method: 'PUT', body: { name, timeZone } });
}

export function archiveGroup(groupId: string, archive: boolean): Promise<TenancyGroup> {
  return request(`/api/groups/${encodeURIComponent(groupId)}/${archive ? 'archive' : 'unarchive'}`, { method: 'POST' });
}

export function renamePractice(practiceId: string, name: string): Promise<TenancyPractice> {
  return request(`/api/practices/${encodeURIComponent(practiceId)}/name`, { method: 'PUT', body: { name } });
}

export function movePractice(practiceId: string, groupId: string): Promise<TenancyPractice> {
  return request(`/api/practices/${encodeURIComponent(practiceId)}/move`, { method: 'POST', body: { groupId } });
}

export function decommissionPractice(practiceId: string, reason: string): Promise<TenancyPractice> {
  return request(`/api/practices/${encodeURIComponent(practiceId)}/decommission`, { method: 'POST', body: { reason } });
}

function pingPath(practiceId: string, checkId: string): string {
  return `/api/practices/${encodeURIComponent(practiceId)}/checks/${encodeURIComponent(checkId)}/ping`;
}

export function fetchPingUrl(practiceId: string, checkId: string, signal?: AbortSignal): Promise<PingUrlView> {
  return request<PingUrlView>(pingPath(practiceId, checkId), { signal });
}

/** Creates the check's ping URL, or rotates it (the old one answers 404 from then on). */
export function rotatePingUrl(practiceId: string, checkId: string): Promise<PingUrlView> {
  return request<PingUrlView>(pingPath(practiceId, checkId), { method: 'POST' });
}

export function revokePingUrl(practiceId: string, checkId: string): Promise<PingUrlView> {
  return request<PingUrlView>(pingPath(practiceId, checkId), { method: 'DELETE' });
}
