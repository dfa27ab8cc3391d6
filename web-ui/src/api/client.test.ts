import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, isForbidden, setApiAuth } from './client';
import { createEnrolmentToken, revokeAgent } from './agents';
import { fetchAuthConfig } from './auth';
import { fetchFleetPage } from './fleet';
import { fetchPractice } from './practices';

afterEach(() => vi.unstubAllGlobals());

function stubFetch(response: Response) {
  const fetchMock = vi.fn().mockResolvedValue(response);
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

describe('api client', () => {
  it('returns the JSON body on 2xx', async () => {
    const fetchMock = stubFetch(Response.json({ generatedAt: 'x', practices: [] }));
    await expect(fetchFleetPage({})).resolves.toEqual({ generatedAt: 'x', practices: [] });
    expect(fetchMock.mock.calls[0]?.[0]).toBe('/api/fleet/compliance');
  });

  it("throws the problem's detail on non-2xx", async () => {
    stubFetch(
      new Response(JSON.stringify({ title: 'Not Found', status: 404, detail: 'No practice p/1' }), {
        status: 404,
        headers: { 'Content-Type': 'application/problem+json' },
      }),
    );
    const error = await fetchPractice('p/1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toBe('No practice p/1');
    expect((error as ApiError).status).toBe(404);
  });

  it('escapes the id in the path', async () => {
    const fetchMock = stubFetch(Response.json({}));
    await fetchPractice('p/1');
    expect(fetchMock.mock.calls[0]?.[0]).toBe('/api/practices/p%2F1');
  });

  it('falls back to the status line when the body is not a problem', async () => {
    stubFetch(new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
    await expect(fetchFleetPage({})).rejects.toThrow('502 Bad Gateway');
  });
});

describe('api client with sign-in', () => {
  const ok = () => Response.json({ generatedAt: 'x', practices: [] });
  const unauthorized = () => new Response(JSON.stringify({ title: 'Unauthorized', status: 401 }), { status: 401 });

  function installAuth(token: string | null, renewTo: string | null) {
    const hooks = {
      accessToken: vi.fn(async () => token),
      renew: vi.fn(async () => renewTo),
      unauthenticated: vi.fn(),
    };
    removeAuth = setApiAuth(hooks);
    return hooks;
  }
  let removeAuth = () => {};
  afterEach(() => removeAuth());

  /** The Authorization header of the nth fetch call. */
  const authHeader = (fetchMock: ReturnType<typeof vi.fn>, n: number) =>
    (fetchMock.mock.calls[n]?.[1] as RequestInit | undefined)?.headers as Record<string, string>;

  it('attaches the bearer token to every request', async () => {
    installAuth('tok-1', null);
    const fetchMock = stubFetch(ok());
    await fetchFleetPage({});
    expect(authHeader(fetchMock, 0).Authorization).toBe('Bearer tok-1');
  });

  it('asks for the auth config without a token', async () => {
    const hooks = installAuth('tok-1', null);
    const fetchMock = stubFetch(Response.json({ issuer: 'http://kc/realms/r', clientId: 'c' }));
    await expect(fetchAuthConfig()).resolves.toEqual({ issuer: 'http://kc/realms/r', clientId: 'c' });
    expect(fetchMock.mock.calls[0]?.[0]).toBe('/api/auth-config');
    expect(authHeader(fetchMock, 0).Authorization).toBeUndefined();
    expect(hooks.accessToken).not.toHaveBeenCalled();
  });

  it('on 401 renews once and tries again with the new token', async () => {
    const hooks = installAuth('old', 'new');
    const fetchMock = vi.fn().mockResolvedValueOnce(unauthorized()).mockResolvedValueOnce(ok());
    vi.stubGlobal('fetch', fetchMock);
    await expect(fetchFleetPage({})).resolves.toEqual({ generatedAt: 'x', practices: [] });
    expect(hooks.renew).toHaveBeenCalledTimes(1);
    expect(authHeader(fetchMock, 0).Authorization).toBe('Bearer old');
    expect(authHeader(fetchMock, 1).Authorization).toBe('Bearer new');
    expect(hooks.unauthenticated).not.toHaveBeenCalled();
  });

  it('sends the person to sign in when the renewed token is refused too', async () => {
    const hooks = installAuth('old', 'new');
    const fetchMock = vi.fn(async () => unauthorized());
    vi.stubGlobal('fetch', fetchMock);
    const error = await fetchFleetPage({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(hooks.renew).toHaveBeenCalledTimes(1);
    expect(hooks.unauthenticated).toHaveBeenCalledTimes(1);
  });

  it('sends the person to sign in without another try when the renew fails', async () => {
    const hooks = installAuth('old', null);
    const fetchMock = vi.fn(async () => unauthorized());
    vi.stubGlobal('fetch', fetchMock);
    await expect(fetchFleetPage({})).rejects.toBeInstanceOf(ApiError);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(hooks.renew).toHaveBeenCalledTimes(1);
    expect(hooks.unauthenticated).toHaveBeenCalledTimes(1);
  });

  it("surfaces a 403's detail and does not renew", async () => {
    const hooks = installAuth('tok', 'new');
    stubFetch(
      new Response(JSON.stringify({ status: 403, detail: 'Only provider admins may do that' }), {
        status: 403,
        headers: { 'Content-Type': 'application/problem+json' },
      }),
    );
    const error = await createEnrolmentToken('p-oak').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toBe('Only provider admins may do that');
    expect(isForbidden(error)).toBe(true);
    expect(hooks.renew).not.toHaveBeenCalled();
  });

  it('posts JSON for an enrolment token and the revoke', async () => {
    installAuth('tok', null);
    const fetchMock = stubFetch(Response.json({}, { status: 201 }));
    await createEnrolmentToken('p/1');
    expect(fetchMock.mock.calls[0]?.[0]).toBe('/api/practices/p%2F1/enrolment-tokens');
    const init = fetchMock.mock.calls[0]?.[1] as RequestInit;
    expect(init.method).toBe('POST');
    expect(JSON.parse(init.body as string)).toEqual({ validForHours: 24 });
    expect((init.headers as Record<string, string>)['Content-Type']).toBe('application/json');

    fetchMock.mockResolvedValueOnce(Response.json({ id: 'a-1', revokedAt: 'x' }));
    await revokeAgent('a-1');
    expect(fetchMock.mock.calls[1]?.[0]).toBe('/api/agents/a-1/revoke');
    expect((fetchMock.mock.calls[1]?.[1] as RequestInit).method).toBe('POST');
  });
});
