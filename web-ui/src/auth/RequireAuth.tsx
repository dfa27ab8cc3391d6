import { Alert, Button, Center, Paper, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Outlet, useLocation } from 'react-router';
import { LoadingState } from '../components/QueryStates';
import { useAuth } from './AuthProvider';
import { authKeys } from '../api/queryKeys';

/**
 * The pages behind sign-in. Someone not signed in gets the sign-in screen at the address they
 * asked for, and goes to Keycloak only when they press the button: never an automatic
 * redirect, so never a loop.
 */
export function RequireAuth() {
  const { status } = useAuth();
  const queryClient = useQueryClient();

  // Nothing of the last person's data outlives their session.
  useEffect(() => {
    if (status === 'signed-out') {
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== authKeys.config[0] });
    }
  }, [status, queryClient]);

  if (status === 'loading') return <LoadingState label="Checking your sign-in…" />;
  if (status === 'signed-out') return <SignInScreen />;
  return <Outlet />;
}

export function SignInScreen({ returnTo }: { returnTo?: string }) {
  const { signIn, sessionEnded } = useAuth();
  const location = useLocation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    document.title = 'Sign in · Rampart';
  }, []);

  const start = () => {
    setBusy(true);
    setError(null);
    signIn(returnTo ?? `${location.pathname}${location.search}${location.hash}`).catch((e: unknown) => {
      setBusy(false);
      setError(e instanceof Error ? e.message : String(e));
    });
  };

  return (
    <Center py="xl">
      <Paper withBorder p="xl" maw={420} w="100%">
        <Stack gap="md">
          <Title order={1} size="h2">
            {sessionEnded ? 'Your session has ended' : 'Sign in'}
          </Title>
          <Text>
            {sessionEnded
              ? 'Sign in again to carry on where you were.'
              : 'Sign in with your Rampart account to see your practices’ backups.'}
          </Text>
          {error && (
            <Alert color="red" title="Could not reach the sign-in service" role="alert">
              {error}
            </Alert>
          )}
          <Button onClick={start} loading={busy} data-testid="sign-in-button">
            Sign in to Rampart
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
}
