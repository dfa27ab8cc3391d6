import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, fetchFleet, fetchPractice } from './client';

afterEach(() => vi.unstubAllGlobals());

function stubFetch(response: Response) {
  const fetchMock = vi.fn().mockResolvedValue(response);
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

describe('api client', () => {
  it('returns the JSON body on 2xx', async () => {
    const fetchMock = stubFetch(Response.json({ generatedAt: 'x', practices: [] }));
    await expect(fetchFleet()).resolves.toEqual({ generatedAt: 'x', practices: [] });
    expect(fetchMock.mock.calls[0]?.[0]).toBe('/api/fleet');
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
    await expect(fetchFleet()).rejects.toThrow('502 Bad Gateway');
  });
});
