import { User } from 'oidc-client-ts';
import { vi } from 'vitest';
import type { UserManagerLike } from '../auth/userManager';

/** A signed-in user as oidc-client-ts would store it; `state` is what signinRedirect carried. */
export function makeUser(accessToken = 'token-1', state?: unknown): User {
  const now = Math.floor(Date.now() / 1000);
  return new User({
    access_token: accessToken,
    refresh_token: 'refresh-1',
    id_token: 'id-1',
    token_type: 'Bearer',
    scope: 'openid profile email',
    session_state: null,
    expires_at: now + 300,
    userState: state,
    profile: {
      sub: 'u-alice',
      iss: 'http://localhost:18080/realms/rampart',
      aud: 'rampart-web',
      exp: now + 300,
      iat: now,
      name: 'Alice Example',
      preferred_username: 'alice',
    },
  });
}

/**
 * Stands in for oidc-client-ts's UserManager: no Keycloak, no storage. `renewTo` is the token a
 * silent renew yields (null: the renew fails); `callbackUser` is what the callback returns.
 */
export class FakeUserManager implements UserManagerLike {
  user: User | null;
  renewTo: string | null = null;
  callbackUser: User | null = null;
  readonly settings = { client_id: 'rampart-web' };
  private readonly loaded = new Set<(user: User) => void | Promise<void>>();
  private readonly unloaded = new Set<() => void | Promise<void>>();

  constructor(user: User | null = makeUser()) {
    this.user = user;
  }

  readonly events = {
    addUserLoaded: (cb: (user: User) => void | Promise<void>) => {
      this.loaded.add(cb);
      return () => void this.loaded.delete(cb);
    },
    addUserUnloaded: (cb: () => void | Promise<void>) => {
      this.unloaded.add(cb);
      return () => void this.unloaded.delete(cb);
    },
  };

  getUser = vi.fn(async () => this.user);
  signinRedirect = vi.fn(async (_args?: { state?: unknown }) => {});
  signoutRedirect = vi.fn(async (_args?: { extraQueryParams?: Record<string, string | number | boolean> }) => {
    await this.removeUser();
  });
  removeUser = vi.fn(async () => {
    this.user = null;
    this.unloaded.forEach((cb) => void cb());
  });
  signinSilent = vi.fn(async () => {
    if (this.renewTo === null) throw new Error('refresh token expired');
    const user = makeUser(this.renewTo);
    this.user = user;
    this.loaded.forEach((cb) => void cb(user));
    return user;
  });
  signinRedirectCallback = vi.fn(async () => {
    if (!this.callbackUser) throw new Error('No matching state found in storage');
    this.user = this.callbackUser;
    return this.callbackUser;
  });
}
