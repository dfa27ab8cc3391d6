import { useQuery } from '@tanstack/react-query';
import { fetchMe } from '../api/auth';
import type { Role } from '../api/types';
import { useAuth } from './AuthProvider';
import { authKeys } from '../api/queryKeys';

export const ROLE_LABEL: Record<Role, string> = {
  'platform-operator': 'Platform operator',
  'provider-admin': 'Provider admin',
  'provider-technician': 'Technician',
  'group-manager': 'Group manager',
  'practice-manager': 'Practice manager',
};

export function roleLabel(role: string | null | undefined): string {
  return (role && ROLE_LABEL[role as Role]) || role || '';
}

/** GET /api/me, once signed in. */
export function useMe() {
  const { status } = useAuth();
  return useQuery({
    queryKey: authKeys.me,
    queryFn: ({ signal }) => fetchMe(signal),
    enabled: status === 'signed-in',
    staleTime: 5 * 60_000,
  });
}

/**
 * Whether to show provider-admin actions. Only a hint for the UI: the control plane checks the
 * role on every call anyway.
 */
export function useIsProviderAdmin(): boolean {
  return useMe().data?.role === 'provider-admin';
}
