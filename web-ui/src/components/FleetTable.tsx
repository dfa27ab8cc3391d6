import { Anchor, Badge, Group, Table, Text, VisuallyHidden } from '@mantine/core';
import { Fragment } from 'react';
import { Link } from 'react-router';
import type { MaintenanceWindow } from '../api/maintenance';
import type { FleetRow } from '../api/types';
import { coveringWindow, maintenanceLine } from '../lib/maintenance';
import { ruleTitle } from '../lib/rules';
import { STATUS_COLOR, STATUS_LABEL, normaliseStatus } from '../lib/status';
import { RelativeTime } from './RelativeTime';
import { StatusBadge } from './StatusBadge';

/** At most this many rule badges per row; the rest are counted. */
const MAX_RULES_SHOWN = 3;

/**
 * One row per practice in the order the API gave (the API sorts and pages); with
 * {@code groupHeaders}, a heading row starts each group.
 */
export function FleetTable({
  practices,
  now,
  groupHeaders,
  labelledBy,
  maintenance = [],
}: {
  practices: readonly FleetRow[];
  now: number;
  groupHeaders: boolean;
  labelledBy?: string;
  /** The maintenance windows active now: a practice one covers says "In maintenance until HH:MM (reason)". */
  maintenance?: readonly MaintenanceWindow[];
}) {
  return (
    <Table.ScrollContainer minWidth={820}>
      <Table striped highlightOnHover verticalSpacing="sm" aria-labelledby={labelledBy}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">State</Table.Th>
            <Table.Th scope="col">Practice</Table.Th>
            <Table.Th scope="col">Group</Table.Th>
            <Table.Th scope="col">What needs attention</Table.Th>
            <Table.Th scope="col">Last seen</Table.Th>
            <Table.Th scope="col">Last verified restore</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {practices.map((p, index) => (
            <Fragment key={p.id}>
              {groupHeaders && (index === 0 || practices[index - 1]!.groupId !== p.groupId) && (
                <Table.Tr data-testid="group-row">
                  <Table.Th colSpan={6} scope="colgroup" bg="var(--mantine-color-gray-1)">
                    <Anchor component={Link} to={`/groups/${encodeURIComponent(p.groupId)}`} c="inherit">
                      {p.groupName}
                    </Anchor>
                  </Table.Th>
                </Table.Tr>
              )}
              <Table.Tr data-testid="practice-row" data-practice-id={p.id}>
                <Table.Td>
                  <StatusBadge status={p.state} />
                </Table.Td>
                <Table.Th scope="row" fw={500}>
                  <Anchor component={Link} to={`/practices/${encodeURIComponent(p.id)}`}>
                    {p.name}
                  </Anchor>
                  <InMaintenance window={coveringWindow(maintenance, p)} now={now} />
                </Table.Th>
                <Table.Td>{p.groupName}</Table.Td>
                <Table.Td>
                  <Problems row={p} />
                </Table.Td>
                <Table.Td>
                  <RelativeTime value={p.lastSeenAt} now={now} />
                </Table.Td>
                <Table.Td>
                  <RelativeTime value={p.lastVerifiedRestoreAt} now={now} />
                </Table.Td>
              </Table.Tr>
            </Fragment>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function Problems({ row }: { row: FleetRow }) {
  if (row.problems.length === 0) {
    return (
      <Text size="sm">
        {normaliseStatus(row.state) === 'PASS' ? 'Every rule passes' : (row.reason ?? 'Not evaluated yet')}
      </Text>
    );
  }
  const shown = row.problems.slice(0, MAX_RULES_SHOWN);
  return (
    <>
      <Group gap={6} wrap="wrap">
        {shown.map((problem) => (
          <Badge
            key={problem.ruleId}
            // outline: the dark shade on white reads at any status (a light fill of it does not)
            variant="outline"
            color={STATUS_COLOR[normaliseStatus(problem.status)]}
            title={problem.reason}
            data-testid="rule-badge"
            styles={{ label: { textTransform: 'none' } }}
          >
            <VisuallyHidden>{STATUS_LABEL[normaliseStatus(problem.status)]}: </VisuallyHidden>
            {ruleTitle(problem.ruleId)}
            {problem.configurationGap && ' · configuration gap'}
          </Badge>
        ))}
        {row.problems.length > MAX_RULES_SHOWN && (
          <Text size="sm" c="dimmed">
            +{row.problems.length - MAX_RULES_SHOWN} more
          </Text>
        )}
      </Group>
      <Text size="sm" c="dimmed" mt={4}>
        {row.problems[0]!.reason}
      </Text>
    </>
  );
}

function InMaintenance({ window, now }: { window: MaintenanceWindow | null; now: number }) {
  if (!window) return null;
  return (
    <Text size="xs" c="orange.9" fw={400} data-testid="maintenance-line">
      {maintenanceLine(window, now)}
    </Text>
  );
}
