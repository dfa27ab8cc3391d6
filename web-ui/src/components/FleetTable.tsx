import { Anchor, Table } from '@mantine/core';
import { Link } from 'react-router';
import type { PracticeSummary } from '../api/types';
import { sortPractices } from '../lib/status';
import { RelativeTime } from './RelativeTime';
import { StatusBadge } from './StatusBadge';

export function FleetTable({
  practices,
  now,
  labelledBy,
}: {
  practices: readonly PracticeSummary[];
  now: number;
  labelledBy?: string;
}) {
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table striped highlightOnHover verticalSpacing="sm" aria-labelledby={labelledBy}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Status</Table.Th>
            <Table.Th scope="col">Practice</Table.Th>
            <Table.Th scope="col">Group</Table.Th>
            <Table.Th scope="col">Last seen</Table.Th>
            <Table.Th scope="col">Failing / total checks</Table.Th>
            <Table.Th scope="col">Reason</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sortPractices(practices).map((p) => (
            <Table.Tr key={p.id} data-testid="practice-row" data-practice-id={p.id}>
              <Table.Td>
                <StatusBadge status={p.status} />
              </Table.Td>
              <Table.Th scope="row" fw={500}>
                <Anchor component={Link} to={`/practices/${encodeURIComponent(p.id)}`}>
                  {p.name}
                </Anchor>
              </Table.Th>
              <Table.Td>{p.groupName}</Table.Td>
              <Table.Td>
                <RelativeTime value={p.lastSeenAt} now={now} />
              </Table.Td>
              <Table.Td>
                {p.failingCheckCount} / {p.checkCount}
              </Table.Td>
              <Table.Td>{p.statusReason}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
