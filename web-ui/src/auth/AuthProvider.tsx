import type { User } from 'oidc-client-ts';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { setApiAuth } from '../api/client';
import { safeReturnTo, type SignInState, type UserManagerLike } from './userManager';

export type AuthStatus = 'loading' | 'signed-in' | 'signed-out';

export interface AuthContextValue {
  status: AuthStatus;
  user: User | null;
  /** True when the person was signed out because the session ended (a 401 after a renew). */
  sessionEnded: boolean;
  /** Off to Keycloak; back at `returnTo` (a path in this app) afterwards. */
  signIn(returnTo?: string): Promise<void>;
  /** Ends the session at Keycloak too (end-session endpoint), then back to "/". */
  signOut(): Promise<void>;
  /** The current access token, or null. */
  accessToken(): Promise<string | null>;
  /** Finishes the redirect sign-in (on /auth/callback, once per page); the path to return to. */
  completeSignIn(): Promise<string>;
}

const AuthContext = createContext<AuthContextValue | null>(null);

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth() needs an <AuthProvider> above it');
  return value;
}

interface State {
  status: AuthStatus;
  user: User | null;
  sessionEnded: boolean;
}

const signedIn = (user: User): State => ({ status: 'signed-in', user, sessionEnded: false });
const signedOut = (sessionEnded = false): State => ({ status: 'signed-out', user: null, sessionEnded });

export function AuthProvider({ userManager, children }: { userManager: UserManagerLike; children: ReactNode }) {
  const [state, setState] = useState<State>({ status: 'loading', user: null, sessionEnded: false });
  const renewing = useRef<Promise<string | null> | null>(null);
  const completing = useRef<Promise<string> | null>(null);

  /** One silent renew at a time: parallel 401s share it. */
  const renew = useCallback((): Promise<string | null> => {
    renewing.current ??= userManager
      .signinSilent()
      .then((user) => user?.access_token ?? null)
      .catch(() => null)
      .finally(() => {
        renewing.current = null;
      });
    return renewing.current;
  }, [userManager]);

  const accessToken = useCallback(async () => {
    const user = await userManager.getUser();
    return user?.access_token ?? null;
  }, [userManager]);

  const endSession = useCallback(() => {
    setState(signedOut(true));
    void userManager.removeUser().catch(() => undefined);
  }, [userManager]);

  // Who is signed in already (sessionStorage); an expired token gets one renew first.
  useEffect(() => {
    let cancelled = false;
    const settle = (next: State) => {
      if (!cancelled) setState((s) => (s.status === 'loading' ? next : s));
    };
    void (async () => {
      try {
        const user = await userManager.getUser();
        if (user && !user.expired) return settle(signedIn(user));
        if (user?.refresh_token) {
          const renewed = await userManager.signinSilent().catch(() => null);
          if (renewed && !renewed.expired) return settle(signedIn(renewed));
        }
        settle(signedOut());
      } catch {
        settle(signedOut());
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [userManager]);

  // Silent renews and sign-outs elsewhere (another UserManager call) keep the state in step.
  useEffect(() => {
    const offLoaded = userManager.events.addUserLoaded((user) => setState(signedIn(user)));
    const offUnloaded = userManager.events.addUserUnloaded(() =>
      setState((s) => (s.status === 'signed-out' ? s : signedOut())),
    );
    return () => {
      offLoaded();
      offUnloaded();
    };
  }, [userManager]);

  // The API client's bearer tokens.
  useEffect(() => setApiAuth({ accessToken, renew, unauthenticated: endSession }), [accessToken, renew, endSession]);

  const signIn = useCallback(
    (returnTo?: string) => {
      const here = `${window.location.pathname}${window.location.search}${window.location.hash}`;
      const target: SignInState = { returnTo: safeReturnTo(returnTo ?? here) };
      return userManager.signinRedirect({ state: target });
    },
    [userManager],
  );

  const signOut = useCallback(
    // client_id as well as the id_token_hint oidc-client-ts sends: Keycloak then accepts the
    // post-logout redirect even when the ID token is gone.
    () => userManager.signoutRedirect({ extraQueryParams: { client_id: userManager.settings.client_id } }),
    [userManager],
  );

  const completeSignIn = useCallback(() => {
    // Once per page load: the code and the PKCE verifier are single-use (StrictMode runs
    // effects twice).
    completing.current ??= userManager.signinRedirectCallback().then((user) => {
      setState(signedIn(user));
      return safeReturnTo((user.state as Partial<SignInState> | undefined)?.returnTo);
    });
    return completing.current;
  }, [userManager]);

  const value = useMemo<AuthContextValue>(
    () => ({ ...state, signIn, signOut, accessToken, completeSignIn }),
    [state, signIn, signOut, accessToken, completeSignIn],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
