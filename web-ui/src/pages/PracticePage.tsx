import { Anchor, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { isForbidden, isNotFound } from '../api/client';
import { fetchPractice, fetchPracticeCompliance } from '../api/practices';
import type { Agent } from '../api/types';
import { useIsProviderAdmin, useMe } from '../auth/me';
import { AddAgentButton } from '../components/AddAgentButton';
import { AddContactButton, AddExceptionButton, RecordReviewButton } from '../components/PracticeForms';
import { PracticeContacts, PracticeExceptions, PracticeReviews } from '../components/PracticePeople';
import { PracticeChecks } from '../components/PracticeChecks';
import { MaintenanceNotice, MaintenancePanel } from '../components/MaintenancePanel';
import { PracticeRules } from '../components/PracticeRules';
import { PracticeSources } from '../components/PracticeSources';
import { ErrorState, LoadingState } from '../components/QueryStates';
import { RelativeTime } from '../components/RelativeTime';
import { RevokeAgentDialog } from '../components/RevokeAgentDialog';
import { StatusBadge } from '../components/StatusBadge';
import { AgentsTable } from '../components/practice/AgentsTable';
import { CheckResultsTable } from '../components/practice/CheckResultsTable';
import { DecommissionedNotice } from '../components/practice/DecommissionedNotice';
import { EventsTable } from '../components/practice/EventsTable';
import { PageSection } from '../components/practice/PageSection';
import { useNow } from '../lib/useNow';
import { FLEET_REFETCH_MS } from './FleetPage';
import { practiceKeys } from '../api/queryKeys';

function BackToFleet() {
  return (
    <Anchor component={Link} to="/">
      ← Back to fleet
    </Anchor>
  );
}

export function PracticePage() {
  const { id = '' } = useParams();
  // keyed: going to another practice starts its page afresh (the enrolment flag, the agent being revoked)
  return <Practice key={id} id={id} />;
}

function Practice({ id }: { id: string }) {
  // a practice just added opens with its enrolment command (AddPracticeButton); once: a reload
  // must not mint another token
  const location = useLocation();
  const navigate = useNavigate();
  const [enrolNow] = useState(() => new URLSearchParams(location.search).get('enrol') === '1');
  useEffect(() => {
    if (enrolNow && location.search !== '') navigate(location.pathname, { replace: true });
  }, [enrolNow, navigate, location.pathname, location.search]);
  const now = useNow();
  const isAdmin = useIsProviderAdmin();
  const me = useMe();
  const role = me.data?.role ?? '';
  // as the API allows: contacts by the provider's staff and group managers; exceptions and plan reviews by admins and group managers
  const mayEditContacts = ['provider-admin', 'provider-technician', 'group-manager'].includes(role);
  const mayGovern = ['provider-admin', 'group-manager'].includes(role);
  const [revoking, setRevoking] = useState<Agent | null>(null);
  const practice = useQuery({
    queryKey: practiceKeys.detail(id),
    queryFn: ({ signal }) => fetchPractice(id, signal),
    refetchInterval: (query) => (isNotFound(query.state.error) ? false : FLEET_REFETCH_MS),
  });
  // the same query PracticeRules runs: its state heads the page, as on the fleet page
  const compliance = useQuery({
    queryKey: practiceKeys.compliance(id),
    queryFn: ({ signal }) => fetchPracticeCompliance(id, signal),
    refetchInterval: FLEET_REFETCH_MS,
    enabled: practice.isSuccess,
  });

  const name = practice.data?.name;
  useEffect(() => {
    document.title = `${name ?? 'Practice'} · Rampart`;
  }, [name]);

  if (practice.isPending) {
    return (
      <Stack gap="md">
        <BackToFleet />
        <LoadingState label="Loading the practice…" />
      </Stack>
    );
  }
  if (practice.isError) {
    if (isForbidden(practice.error)) {
      return (
        <Stack gap="md">
          <Title order={1}>Not allowed</Title>
          <Text>{practice.error.message}</Text>
          <BackToFleet />
        </Stack>
      );
    }
    if (isNotFound(practice.error)) {
      return (
        <Stack gap="md">
          <Title order={1}>Practice not found</Title>
          <Text>{practice.error.message}</Text>
          <BackToFleet />
        </Stack>
      );
    }
    return (
      <Stack gap="md">
        <BackToFleet />
        <Title order={1}>Practice</Title>
        <ErrorState
          title="Could not load the practice"
          error={practice.error}
          onRetry={() => void practice.refetch()}
          retrying={practice.isFetching}
        />
      </Stack>
    );
  }

  const p = practice.data;
  // a decommissioned practice is kept read-only: nothing on its page offers a change
  const live = !p.decommissionedAt;
  return (
    <Stack gap="lg">
      <BackToFleet />
      <div>
        <Group gap="sm" align="center">
          <Title order={1}>{p.name}</Title>
          <StatusBadge status={compliance.data?.status ?? 'UNKNOWN'} />
        </Group>
        <Text c="dimmed">Group: {p.groupName}</Text>
      </div>
      <DecommissionedNotice practice={p} />
      {live && <MaintenanceNotice practice={p} />}
      <dl className="facts">
        <dt>State</dt>
        <dd data-testid="practice-reason">
          {compliance.isError
            ? `Could not load the compliance: ${compliance.error.message}`
            : compliance.data?.reason || 'Not evaluated yet'}
        </dd>
        <dt>Last seen</dt>
        <dd>
          <RelativeTime value={p.lastSeenAt} now={now} />
        </dd>
      </dl>

      <PageSection id="rules-heading" title="Rules">
        <PracticeRules practiceId={p.id} now={now} />
      </PageSection>

      <PageSection id="configured-checks-heading" title="Checks">
        <PracticeChecks practiceId={p.id} mayEdit={isAdmin && live} />
      </PageSection>

      <PageSection id="checks-heading" title="Latest check results">
        <CheckResultsTable checks={p.checks} now={now} />
      </PageSection>

      <PageSection
        id="agents-heading"
        title="Agents"
        action={isAdmin && live && <AddAgentButton practiceId={p.id} practiceName={p.name} openAtOnce={enrolNow} />}
      >
        <AgentsTable agents={p.agents} now={now} onRevoke={isAdmin && live ? setRevoking : undefined} />
        <RevokeAgentDialog agent={revoking} practiceId={p.id} onClose={() => setRevoking(null)} />
      </PageSection>

      {['provider-admin', 'provider-technician'].includes(role) && (
        <PageSection id="sources-heading" title="Sources">
          <PracticeSources practiceId={p.id} mayEdit={isAdmin && live} />
        </PageSection>
      )}

      <PageSection
        id="contacts-heading"
        title="Contacts"
        action={mayEditContacts && live && <AddContactButton practiceId={p.id} />}
      >
        <PracticeContacts practiceId={p.id} mayEdit={mayEditContacts && live} />
      </PageSection>

      {live && (
        <PageSection id="maintenance-heading" title="Maintenance">
          {/* as the API allows: the provider's staff and group managers schedule; practice managers see */}
          <MaintenancePanel target={{ practiceId: p.id }} mayEdit={mayEditContacts} />
        </PageSection>
      )}

      <PageSection
        id="exceptions-heading"
        title="Exceptions"
        action={mayGovern && live && <AddExceptionButton practiceId={p.id} />}
      >
        <PracticeExceptions practiceId={p.id} now={now} mayEdit={mayGovern && live} />
      </PageSection>

      <PageSection
        id="reviews-heading"
        title="Backup plan reviews"
        action={
          mayGovern && live && <RecordReviewButton practiceId={p.id} me={me.data?.name || me.data?.username || ''} />
        }
      >
        <PracticeReviews practiceId={p.id} now={now} />
      </PageSection>

      <PageSection id="events-heading" title="Recent events">
        <EventsTable events={p.recentEvents} now={now} />
      </PageSection>
    </Stack>
  );
}
