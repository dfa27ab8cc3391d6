import { apiRequest } from './client';
import type { AuthConfig, Me } from './types';

/* Sign-in: the identity provider to use (asked before anyone signs in) and who is signed in (authKeys). */

export function fetchAuthConfig(signal?: AbortSignal): Promise<AuthConfig> {
  return apiRequest<AuthConfig>('/api/auth-config', { signal, anonymous: true });
}

export function fetchMe(signal?: AbortSignal): Promise<Me> {
  return apiRequest<Me>('/api/me', { signal });
}
