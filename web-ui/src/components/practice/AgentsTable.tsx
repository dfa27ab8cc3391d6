import { Badge, Button, Table, Text, VisuallyHidden } from '@mantine/core';
import type { Agent } from '../../api/types';
import { formatDuration } from '../../lib/time';
import { RelativeTime } from '../RelativeTime';

/**
 * A practice's agents: host, version, when seen, certificate and state (the "Agents" section; the
 * table is labelled by its heading, id agents-heading).
 */
export function AgentsTable({
  agents,
  now,
  onRevoke,
}: {
  agents: Agent[];
  now: number;
  /** Given only to provider admins: a "Revoke" action on each active agent. */
  onRevoke?: (agent: Agent) => void;
}) {
  if (agents.length === 0) return <Text c="dimmed">No agents enrolled.</Text>;
  return (
    <Table.ScrollContainer minWidth={600}>
      <Table verticalSpacing="sm" aria-labelledby="agents-heading">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Host</Table.Th>
            <Table.Th scope="col">Version</Table.Th>
            <Table.Th scope="col">Enrolled</Table.Th>
            <Table.Th scope="col">Last seen</Table.Th>
            <Table.Th scope="col">Certificate expires</Table.Th>
            <Table.Th scope="col">State</Table.Th>
            {onRevoke && (
              <Table.Th scope="col">
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            )}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {agents.map((a) => (
            <Table.Tr key={a.id} data-testid="agent-row">
              <Table.Th scope="row" fw={500}>
                {a.hostname}
              </Table.Th>
              <Table.Td>{a.agentVersion}</Table.Td>
              <Table.Td>
                <RelativeTime value={a.enrolledAt} now={now} />
              </Table.Td>
              <Table.Td>
                <RelativeTime value={a.lastSeenAt} now={now} />
                <ClockOffset seconds={a.clockOffsetSeconds} />
                <SetAside count={a.eventsSetAside} since={a.oldestSetAsideAt} />
              </Table.Td>
              <Table.Td>{a.revoked ? '—' : <RelativeTime value={a.certificateExpiresAt} now={now} />}</Table.Td>
              <Table.Td>
                {a.revoked ? (
                  <Badge color="gray.7" variant="outline">
                    Revoked
                  </Badge>
                ) : (
                  'Active'
                )}
              </Table.Td>
              {onRevoke && (
                <Table.Td>
                  {!a.revoked && (
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      onClick={() => onRevoke(a)}
                      aria-label={`Revoke ${a.hostname}`}
                      data-testid="revoke-agent-button"
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
    </Table.ScrollContainer>
  );
}

const SET_ASIDE_SINCE = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

/** Events the control plane refused and the agent keeps aside are evidence nobody has seen: say so beside "last seen". */
function SetAside({ count, since }: { count?: number; since?: string | null }) {
  if (!count || count <= 0) {
    return null;
  }
  const at = since ? new Date(since) : null;
  const when = at && !Number.isNaN(at.getTime()) ? ` since ${SET_ASIDE_SINCE.format(at).replace(',', '')}` : '';
  return (
    <Text size="sm" c="orange.9" data-testid="agent-set-aside">
      {count} {count === 1 ? 'event' : 'events'} set aside{when}: the control plane refused{' '}
      {count === 1 ? 'it' : 'them'}
    </Text>
  );
}

/** A server clock more than 5 minutes off the control plane's dates every backup wrongly: say so beside "last seen". */
function ClockOffset({ seconds }: { seconds?: number | null }) {
  if (seconds == null || Math.abs(seconds) <= 300) {
    return null;
  }
  return (
    <Text size="sm" c="orange.9" data-testid="agent-clock-offset">
      clock {formatDuration(Math.abs(seconds) * 1000)} {seconds > 0 ? 'ahead' : 'behind'}
    </Text>
  );
}
