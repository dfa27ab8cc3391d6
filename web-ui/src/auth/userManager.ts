import { UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';
import type { AuthConfig } from '../api/types';

/** Where Keycloak sends the browser back with the authorization code. */
export const CALLBACK_PATH = '/auth/callback';

/** What the AuthProvider stores in the OIDC state parameter. */
export interface SignInState {
  returnTo: string;
}

/**
 * The part of oidc-client-ts's UserManager the app uses: the real one in the browser, a fake
 * in tests.
 */
export interface UserManagerLike {
  getUser(): Promise<User | null>;
  signinRedirect(args?: { state?: unknown }): Promise<void>;
  signinRedirectCallback(url?: string): Promise<User>;
  signinSilent(): Promise<User | null>;
  signoutRedirect(args?: { extraQueryParams?: Record<string, string | number | boolean> }): Promise<void>;
  removeUser(): Promise<void>;
  readonly settings: { client_id: string };
  readonly events: {
    addUserLoaded(cb: (user: User) => void | Promise<void>): () => void;
    addUserUnloaded(cb: () => void | Promise<void>): () => void;
  };
}

/**
 * Authorization code + PKCE (S256, built into oidc-client-ts) against the issuer the control
 * plane names at /api/auth-config. Tokens live in sessionStorage (gone with the tab) and are
 * renewed silently with the refresh token before they expire.
 */
export function createUserManager(config: AuthConfig, origin = window.location.origin): UserManager {
  return new UserManager({
    authority: config.issuer,
    client_id: config.clientId,
    response_type: 'code',
    scope: 'openid profile email',
    redirect_uri: `${origin}${CALLBACK_PATH}`,
    post_logout_redirect_uri: `${origin}/`,
    automaticSilentRenew: true,
    monitorSession: false,
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    stateStore: new WebStorageStateStore({ store: window.sessionStorage }),
  });
}

/**
 * A path inside this app to return to after sign-in, or "/": never another origin ("//x",
 * "https://x") and never the callback itself.
 */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//')) return '/';
  if (value.startsWith('/\\') || value.startsWith(CALLBACK_PATH)) return '/';
  return value;
}
