import { Container } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useMemo, type ReactNode } from 'react';
import { fetchAuthConfig } from '../api/auth';
import { ErrorState, LoadingState } from '../components/QueryStates';
import { AuthProvider } from './AuthProvider';
import { createUserManager } from './userManager';
import { authKeys } from '../api/queryKeys';

/** Reads /api/auth-config (the issuer is never built in), then provides sign-in. */
export function AuthBootstrap({ children }: { children: ReactNode }) {
  const config = useQuery({
    queryKey: authKeys.config,
    queryFn: ({ signal }) => fetchAuthConfig(signal),
    staleTime: Infinity,
    gcTime: Infinity,
  });
  const issuer = config.data?.issuer;
  const clientId = config.data?.clientId;
  const userManager = useMemo(
    () => (issuer && clientId ? createUserManager({ issuer, clientId }) : null),
    [issuer, clientId],
  );

  if (userManager) return <AuthProvider userManager={userManager}>{children}</AuthProvider>;
  return (
    <Container size="sm" py="xl">
      {config.isError ? (
        <ErrorState
          title="Could not load the sign-in settings"
          error={config.error}
          onRetry={() => void config.refetch()}
          retrying={config.isFetching}
        />
      ) : (
        <LoadingState label="Starting Rampart…" />
      )}
    </Container>
  );
}
