import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppRoutes } from '../App';
import { providerAdmin, stubApi } from '../test/api';
import { FakeUserManager, makeUser } from '../test/fakeAuth';
import { fleetFixture, practiceFixture } from '../test/fixtures';
import { renderWithProviders } from '../test/render';
import { safeReturnTo } from './userManager';

afterEach(() => vi.unstubAllGlobals());

/** The fleet and the practice, for whoever asks with the right token (or any, when null). */
function stubPages(validToken: string | null = null) {
  return stubApi((url, init) => {
    const auth = (init.headers as Record<string, string> | undefined)?.Authorization;
    if (validToken && auth !== `Bearer ${validToken}`) {
      return new Response(JSON.stringify({ status: 401, title: 'Unauthorized' }), { status: 401 });
    }
    if (url === '/api/practices/p-oak') return Response.json(practiceFixture);
    return Response.json(fleetFixture);
  });
}

describe('sign-in', () => {
  it('shows the sign-in screen to someone not signed in, and goes to Keycloak only on the button', async () => {
    const api = stubPages();
    const um = new FakeUserManager(null);
    renderWithProviders(<AppRoutes />, { route: '/practices/p-oak?tab=x', userManager: um });

    const button = await screen.findByTestId('sign-in-button');
    expect(button.textContent).toBe('Sign in to Rampart');
    expect(um.signinRedirect).not.toHaveBeenCalled();
    expect(api.fetchMock).not.toHaveBeenCalled();
    expect(screen.queryByTestId('signed-in-user')).toBeNull();

    fireEvent.click(button);
    await waitFor(() => expect(um.signinRedirect).toHaveBeenCalledTimes(1));
    expect(um.signinRedirect).toHaveBeenCalledWith({
      state: { returnTo: '/practices/p-oak?tab=x' },
    });
  });

  it('says so when the sign-in service cannot be reached', async () => {
    stubPages();
    const um = new FakeUserManager(null);
    um.signinRedirect.mockRejectedValueOnce(new Error('Failed to fetch'));
    renderWithProviders(<AppRoutes />, { userManager: um });
    fireEvent.click(await screen.findByTestId('sign-in-button'));
    expect((await screen.findByRole('alert')).textContent).toContain('Failed to fetch');
  });

  it('the callback completes sign-in and returns to the page the person started on', async () => {
    const api = stubPages('tok-cb');
    const um = new FakeUserManager(null);
    um.callbackUser = makeUser('tok-cb', { returnTo: '/practices/p-oak' });
    renderWithProviders(<AppRoutes />, {
      route: '/auth/callback?code=abc&state=xyz',
      userManager: um,
    });

    expect(await screen.findByRole('heading', { level: 1, name: 'Oak Street Surgery' })).toBeTruthy();
    expect(um.signinRedirectCallback).toHaveBeenCalledTimes(1);
    expect(api.calls().map(([url]) => url)).toContain('/api/practices/p-oak');
    expect(um.signinRedirect).not.toHaveBeenCalled();
  });

  it('the callback never returns to another origin', () => {
    expect(safeReturnTo('/practices/p-oak?x=1#y')).toBe('/practices/p-oak?x=1#y');
    expect(safeReturnTo('//evil.example/')).toBe('/');
    expect(safeReturnTo('https://evil.example/')).toBe('/');
    expect(safeReturnTo('/\\evil.example')).toBe('/');
    expect(safeReturnTo('/auth/callback?code=1')).toBe('/');
    expect(safeReturnTo(undefined)).toBe('/');
  });

  it('a failed callback says why and offers sign-in, without redirecting by itself', async () => {
    stubPages();
    const um = new FakeUserManager(null);
    renderWithProviders(<AppRoutes />, { route: '/auth/callback?error=x', userManager: um });
    expect((await screen.findByRole('alert')).textContent).toContain('No matching state found');
    expect(screen.getByTestId('sign-in-button')).toBeTruthy();
    expect(um.signinRedirect).not.toHaveBeenCalled();
  });

  it('renews a refused token silently and carries on', async () => {
    const api = stubPages('fresh');
    const um = new FakeUserManager(makeUser('stale'));
    um.renewTo = 'fresh';
    renderWithProviders(<AppRoutes />, { userManager: um });
    await waitFor(() => expect(screen.getAllByTestId('practice-row')).toHaveLength(4));
    expect(um.signinSilent).toHaveBeenCalledTimes(1);
    // the fleet page also asks who is in maintenance: follow the fleet's own call
    const auths = api
      .calls()
      .filter(([url]) => String(url).startsWith('/api/fleet'))
      .map(([, init]) => (init.headers as Record<string, string>).Authorization);
    expect(auths).toEqual(['Bearer stale', 'Bearer fresh']);
  });

  it('when the renew fails too, shows the sign-in screen once, with no loop', async () => {
    const api = stubPages('never-valid');
    const um = new FakeUserManager(makeUser('stale'));
    um.renewTo = null;
    renderWithProviders(<AppRoutes />, { userManager: um });

    expect(await screen.findByText('Your session has ended')).toBeTruthy();
    expect(screen.getByTestId('sign-in-button')).toBeTruthy();
    expect(um.signinSilent).toHaveBeenCalledTimes(1);
    expect(um.removeUser).toHaveBeenCalled();
    expect(um.signinRedirect).not.toHaveBeenCalled();
    // each of the page's queries was tried once, none again in a loop
    const urls = api.calls().map(([url]) => String(url));
    expect(urls.filter((url) => url.startsWith('/api/fleet'))).toHaveLength(1);
    expect(new Set(urls).size).toBe(urls.length);
  });

  it("shows the person's name and role in words, and signs out at Keycloak", async () => {
    stubApi(() => Response.json(fleetFixture), { me: providerAdmin });
    const um = new FakeUserManager();
    renderWithProviders(<AppRoutes />, { userManager: um });

    await waitFor(() =>
      expect(screen.getByTestId('signed-in-user').textContent).toBe('Alice Example · Provider admin'),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    await waitFor(() => expect(um.signoutRedirect).toHaveBeenCalledTimes(1));
    expect(um.signoutRedirect).toHaveBeenCalledWith({
      extraQueryParams: { client_id: 'rampart-web' },
    });
  });
});
