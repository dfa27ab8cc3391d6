import { Alert, Stack } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { LoadingState } from '../components/QueryStates';
import { useAuth } from './AuthProvider';
import { SignInScreen } from './RequireAuth';

/** /auth/callback: swaps the code for tokens, then back to the page the person started on. */
export function AuthCallbackPage() {
  const { completeSignIn } = useAuth();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    completeSignIn().then(
      (returnTo) => {
        if (!cancelled) void navigate(returnTo, { replace: true });
      },
      (e: unknown) => {
        if (!cancelled) setError(e instanceof Error ? e.message : String(e));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [completeSignIn, navigate]);

  if (error) {
    // No automatic retry: the person chooses to try again.
    return (
      <Stack gap="md">
        <Alert color="red" title="Sign-in did not complete" role="alert" mt="md">
          {error}
        </Alert>
        <SignInScreen returnTo="/" />
      </Stack>
    );
  }
  return <LoadingState label="Signing you in…" />;
}
