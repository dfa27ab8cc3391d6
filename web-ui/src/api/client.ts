import type { Problem } from './types';

/*
 * The API's core: the bearer token, one silent renew on a 401, and problem+json refusals turned
 * into an ApiError. The calls themselves live in one module per feature beside this one
 * (fleet.ts, practices.ts, checks.ts, ...), named as the query keys of queryKeys.ts are.
 */

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

/**
 * One JSON call of the API (the feature modules beside this one call it): the answer's body, or
 * undefined on a 204. Throws an {@link ApiError} on a non-2xx answer.
 */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
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
