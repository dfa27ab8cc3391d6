import type { Fleet, PracticeDetail, Problem } from './types';

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

async function readProblem(response: Response): Promise<Problem | null> {
  try {
    const body: unknown = await response.json();
    return body !== null && typeof body === 'object' ? (body as Problem) : null;
  } catch {
    return null;
  }
}

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(path, { headers: { Accept: 'application/json' }, signal });
  if (!response.ok) {
    const problem = await readProblem(response);
    const message =
      problem?.detail || problem?.title || `${response.status} ${response.statusText}`.trim();
    throw new ApiError(response.status, message, problem);
  }
  return (await response.json()) as T;
}

export function fetchFleet(signal?: AbortSignal): Promise<Fleet> {
  return getJson<Fleet>('/api/fleet', signal);
}

export function fetchPractice(id: string, signal?: AbortSignal): Promise<PracticeDetail> {
  return getJson<PracticeDetail>(`/api/practices/${encodeURIComponent(id)}`, signal);
}
