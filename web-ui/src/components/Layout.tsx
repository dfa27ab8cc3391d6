import { Anchor, Button, Container, Group, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link, NavLink, useLocation } from 'react-router';
import { useAuth } from '../auth/AuthProvider';
import { roleLabel, useMe } from '../auth/me';
import { PageErrorBoundary } from './PageErrorBoundary';

export function Layout({ children }: { children: ReactNode }) {
  const { status } = useAuth();
  const location = useLocation();
  return (
    <>
      <header>
        <Container size="xl" py="sm">
          <Group justify="space-between" wrap="wrap">
            <Group gap="lg" align="baseline">
              <Anchor component={Link} to="/" underline="never" c="inherit">
                <Text fw={700} size="xl">
                  Rampart
                </Text>
              </Anchor>
              {status === 'signed-in' ? (
                <Nav />
              ) : (
                <Text size="sm" c="dimmed">
                  Backup assurance
                </Text>
              )}
            </Group>
            {status === 'signed-in' && <SignedInUser />}
          </Group>
        </Container>
      </header>
      <Container component="main" size="xl" pb="xl">
        <PageErrorBoundary resetKey={location.pathname}>{children}</PageErrorBoundary>
      </Container>
    </>
  );
}

function Nav() {
  const me = useMe();
  if (me.data?.role === 'platform-operator') {
    // above the tenancy: no fleet, alerts or reports, only the installation's providers
    return (
      <Group component="nav" aria-label="Main" gap="md">
        <Anchor component={NavLink} to="/providers" size="sm">
          Providers
        </Anchor>
      </Group>
    );
  }
  return (
    <Group component="nav" aria-label="Main" gap="md">
      <Anchor component={NavLink} to="/" end size="sm">
        Fleet
      </Anchor>
      <Anchor component={NavLink} to="/alerts" size="sm">
        Alerts
      </Anchor>
      {me.data && me.data.role !== 'practice-manager' && (
        <Anchor component={NavLink} to="/report" size="sm">
          Compliance report
        </Anchor>
      )}
      <Anchor component={NavLink} to="/policy" size="sm">
        Policy
      </Anchor>
      {me.data && me.data.role !== 'practice-manager' && (
        <Anchor component={NavLink} to="/notifications" size="sm">
          Notifications
        </Anchor>
      )}
      {me.data && me.data.role !== 'practice-manager' && (
        <Anchor component={NavLink} to="/checks" size="sm">
          Checks
        </Anchor>
      )}
      {me.data?.role === 'provider-admin' && (
        <Anchor component={NavLink} to="/audit" size="sm">
          Audit log
        </Anchor>
      )}
      {(me.data?.role === 'provider-admin' || me.data?.role === 'group-manager') && (
        <Anchor component={NavLink} to="/people" size="sm">
          People
        </Anchor>
      )}
      {me.data?.role === 'provider-admin' && (
        <Anchor component={NavLink} to="/admin/groups" size="sm">
          Groups and practices
        </Anchor>
      )}
    </Group>
  );
}

function SignedInUser() {
  const { user, signOut } = useAuth();
  const me = useMe();
  const name = me.data?.name || user?.profile.name || user?.profile.preferred_username || '';
  const role = roleLabel(me.data?.role);
  return (
    <Group gap="sm">
      <Text size="sm" data-testid="signed-in-user" data-role={me.data?.role}>
        <Text span fw={500}>
          {name}
        </Text>
        {role && (
          <Text span c="dimmed">
            {' · '}
            {role}
          </Text>
        )}
      </Text>
      <Button variant="default" size="xs" onClick={() => void signOut()}>
        Sign out
      </Button>
    </Group>
  );
}
