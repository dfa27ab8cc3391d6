import { Anchor, Button, Table, Text } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import {
  fetchPlanReviews,
  fetchPracticeContacts,
  fetchPracticeExceptions,
  removeContact,
  revokeException,
} from '../api/practices';
import type { Contact } from '../api/types';
import { ruleTitle } from '../lib/rules';
import { useRefreshPractice } from '../lib/useRefreshPractice';
import { ErrorState, LoadingState } from './QueryStates';
import { RelativeTime } from './RelativeTime';
import { practiceKeys } from '../api/queryKeys';

const ROLE_LABEL: Record<Contact['role'], string> = {
  IT_CONTACT: 'IT contact',
  PRACTICE_MANAGER: 'Practice manager',
  GROUP_MANAGER: 'Group manager',
};

/** Who gets this practice's failure emails: its own contacts and its group's. */
export function PracticeContacts({ practiceId, mayEdit }: { practiceId: string; mayEdit: boolean }) {
  const refresh = useRefreshPractice(practiceId);
  const remove = useMutation({
    mutationFn: (contactId: string) => removeContact(practiceId, contactId),
    onSettled: refresh,
  });
  const contacts = useQuery({
    queryKey: practiceKeys.contacts(practiceId),
    queryFn: ({ signal }) => fetchPracticeContacts(practiceId, signal),
  });
  if (contacts.isPending) return <LoadingState label="Loading contacts…" />;
  if (contacts.isError)
    return (
      <ErrorState title="Could not load the contacts" error={contacts.error} onRetry={() => void contacts.refetch()} />
    );
  if (contacts.data.length === 0)
    return (
      <Text c="red.8">Nobody gets this practice's failure emails: add an IT contact and the practice manager.</Text>
    );
  return (
    <>
      {remove.isError && (
        <Text c="red.8" size="sm" role="alert">
          The contact was not removed: {remove.error.message}
        </Text>
      )}
      <Table verticalSpacing="xs" aria-labelledby="contacts-heading">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Name</Table.Th>
            <Table.Th scope="col">Email</Table.Th>
            <Table.Th scope="col">Role</Table.Th>
            <Table.Th scope="col">For</Table.Th>
            {mayEdit && <Table.Th scope="col">Action</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {contacts.data.map((c) => (
            <Table.Tr key={c.id} data-testid="contact-row">
              <Table.Th scope="row" fw={500}>
                {c.name}
              </Table.Th>
              <Table.Td>{c.email}</Table.Td>
              <Table.Td>{ROLE_LABEL[c.role] ?? c.role}</Table.Td>
              <Table.Td>{c.practiceId ? 'This practice' : 'Every practice of the group'}</Table.Td>
              {mayEdit && (
                <Table.Td>
                  {/* a group's contact is removed on the group, not on one of its practices */}
                  {c.practiceId && (
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      onClick={() => remove.mutate(c.id)}
                      loading={remove.isPending && remove.variables === c.id}
                      aria-label={`Remove ${c.name}`}
                    >
                      Remove
                    </Button>
                  )}
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </>
  );
}

/** Documented exceptions to the group's policy: who approved what, why, until when. */
export function PracticeExceptions({
  practiceId,
  now,
  mayEdit,
}: {
  practiceId: string;
  now: number;
  mayEdit: boolean;
}) {
  const refresh = useRefreshPractice(practiceId);
  const revoke = useMutation({
    mutationFn: (exceptionId: string) => revokeException(practiceId, exceptionId),
    onSettled: refresh,
  });
  const exceptions = useQuery({
    queryKey: practiceKeys.exceptions(practiceId),
    queryFn: ({ signal }) => fetchPracticeExceptions(practiceId, signal),
  });
  if (exceptions.isPending) return <LoadingState label="Loading exceptions…" />;
  if (exceptions.isError)
    return (
      <ErrorState
        title="Could not load the exceptions"
        error={exceptions.error}
        onRetry={() => void exceptions.refetch()}
      />
    );
  if (exceptions.data.length === 0)
    return <Text c="dimmed">No exceptions: every rule of the group's policy applies.</Text>;
  return (
    <>
      {revoke.isError && (
        <Text c="red.8" size="sm" role="alert">
          The exception was not revoked: {revoke.error.message}
        </Text>
      )}
      <Table verticalSpacing="xs" aria-labelledby="exceptions-heading">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Rule</Table.Th>
            <Table.Th scope="col">Why</Table.Th>
            <Table.Th scope="col">Approved by</Table.Th>
            <Table.Th scope="col">Until</Table.Th>
            <Table.Th scope="col">State</Table.Th>
            {mayEdit && <Table.Th scope="col">Action</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {exceptions.data.map((e) => (
            <Table.Tr key={e.id} data-testid="exception-row">
              <Table.Th scope="row" fw={500}>
                {ruleTitle(e.ruleId)}
              </Table.Th>
              <Table.Td>{e.reason}</Table.Td>
              <Table.Td>{e.approvedBy}</Table.Td>
              <Table.Td>
                <RelativeTime value={e.until} now={now} />
              </Table.Td>
              <Table.Td>{e.state.charAt(0) + e.state.slice(1).toLowerCase()}</Table.Td>
              {mayEdit && (
                <Table.Td>
                  {e.state === 'ACTIVE' && (
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      onClick={() => revoke.mutate(e.id)}
                      loading={revoke.isPending && revoke.variables === e.id}
                      aria-label={`Revoke the exception for ${ruleTitle(e.ruleId)}`}
                    >
                      Revoke
                    </Button>
                  )}
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </>
  );
}

/** When the practice's written backup procedure was last reviewed, and by whom. */
export function PracticeReviews({ practiceId, now }: { practiceId: string; now: number }) {
  const reviews = useQuery({
    queryKey: practiceKeys.reviews(practiceId),
    queryFn: ({ signal }) => fetchPlanReviews(practiceId, signal),
  });
  if (reviews.isPending) return <LoadingState label="Loading plan reviews…" />;
  if (reviews.isError)
    return (
      <ErrorState
        title="Could not load the plan reviews"
        error={reviews.error}
        onRetry={() => void reviews.refetch()}
      />
    );
  if (reviews.data.length === 0)
    return <Text c="dimmed">Nobody has recorded a review of this practice's backup plan yet.</Text>;
  return (
    <Table verticalSpacing="xs" aria-labelledby="reviews-heading">
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">Reviewed</Table.Th>
          <Table.Th scope="col">By</Table.Th>
          <Table.Th scope="col">Note</Table.Th>
          <Table.Th scope="col">Document</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {reviews.data.map((r) => (
          <Table.Tr key={r.id} data-testid="review-row">
            <Table.Td>
              <RelativeTime value={r.reviewedAt} now={now} />
            </Table.Td>
            <Table.Td>{r.reviewedBy}</Table.Td>
            <Table.Td>{r.note || '—'}</Table.Td>
            <Table.Td>
              {r.documentUrl ? (
                <Anchor href={r.documentUrl} target="_blank" rel="noreferrer">
                  Open
                </Anchor>
              ) : (
                '—'
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
