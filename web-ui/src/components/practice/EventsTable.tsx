import { Code, Table, Text } from '@mantine/core';
import type { PracticeEvent } from '../../api/types';
import { RelativeTime } from '../RelativeTime';
import { StatusBadge } from '../StatusBadge';

const EVENT_LABEL: Record<string, string> = {
  HEARTBEAT: 'Heartbeat',
  CHECK_RESULT: 'Check result',
  AGENT_ENROLLED: 'Agent enrolled',
};

/**
 * A practice's recent events, newest first (the "Recent events" section; the table is labelled by
 * its heading, id events-heading).
 */
export function EventsTable({ events, now }: { events: PracticeEvent[]; now: number }) {
  if (events.length === 0) return <Text c="dimmed">No events yet.</Text>;
  const newestFirst = [...events].sort((a, b) => Date.parse(b.occurredAt) - Date.parse(a.occurredAt));
  return (
    <Table.ScrollContainer minWidth={600}>
      <Table striped verticalSpacing="xs" aria-labelledby="events-heading">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">When</Table.Th>
            <Table.Th scope="col">Event</Table.Th>
            <Table.Th scope="col">Check</Table.Th>
            <Table.Th scope="col">Status</Table.Th>
            <Table.Th scope="col">Summary</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {newestFirst.map((e) => (
            <Table.Tr key={e.eventId} data-testid="event-row">
              <Table.Td>
                <RelativeTime value={e.occurredAt} now={now} />
              </Table.Td>
              <Table.Td>{EVENT_LABEL[e.type] ?? e.type}</Table.Td>
              <Table.Td>{e.checkId ? <Code>{e.checkId}</Code> : '—'}</Table.Td>
              <Table.Td>{e.status ? <StatusBadge status={e.status} /> : '—'}</Table.Td>
              <Table.Td>{e.summary}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
