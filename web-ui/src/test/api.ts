import { vi } from 'vitest';
import type { Me } from '../api/types';

export const providerAdmin: Me = {
  username: 'alice',
  name: 'Alice Example',
  role: 'provider-admin',
  providerId: 'prov-1',
  groupId: null,
  practiceId: null,
};

export const practiceManager: Me = {
  username: 'pete',
  name: 'Pete Manager',
  role: 'practice-manager',
  providerId: 'prov-1',
  groupId: 'g-city',
  practiceId: 'p-oak',
};

export type Handler = (url: string, init: RequestInit) => Response | Promise<Response>;

/** Answers each call in turn with the next of `responses`, the last one repeating. */
export function sequence(...responses: (() => Response)[]): Handler {
  let call = 0;
  return () => responses[Math.min(call++, responses.length - 1)]!();
}

export const problem = (status: number, detail: string) => () =>
  new Response(JSON.stringify({ title: 'Error', status, detail }), {
    status,
    headers: { 'Content-Type': 'application/problem+json' },
  });

/**
 * Stubs fetch: GET /api/me answers `me`; everything else goes to `handler`. `calls()` lists the
 * other calls as [url, init].
 */
export function stubApi(handler: Handler, { me = practiceManager }: { me?: Me } = {}) {
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    if (url === '/api/me') return Response.json(me);
    return handler(url, init ?? {});
  });
  vi.stubGlobal('fetch', fetchMock);
  return {
    fetchMock,
    calls: () =>
      fetchMock.mock.calls
        .filter(([input]) => String(input) !== '/api/me')
        .map(([input, init]) => [String(input), init ?? {}] as const),
  };
}
