import { Code, Table, Text } from '@mantine/core';
import type { CheckResult } from '../../api/types';
import { statusRank } from '../../lib/status';
import { RelativeTime } from '../RelativeTime';
import { StatusBadge } from '../StatusBadge';

/**
 * The latest result of each check, the worst first (the "Latest check results" section; the table
 * is labelled by its heading, id checks-heading).
 */
export function CheckResultsTable({ checks, now }: { checks: CheckResult[]; now: number }) {
  if (checks.length === 0) return <Text c="dimmed">No check results yet.</Text>;
  const sorted = [...checks].sort(
    (a, b) => statusRank(a.status) - statusRank(b.status) || a.checkId.localeCompare(b.checkId),
  );
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table verticalSpacing="sm" aria-labelledby="checks-heading">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Check</Table.Th>
            <Table.Th scope="col">Status</Table.Th>
            <Table.Th scope="col">Summary</Table.Th>
            <Table.Th scope="col">Observed</Table.Th>
            <Table.Th scope="col">Details</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sorted.map((c) => (
            <Table.Tr key={c.checkId} data-testid="check-row">
              <Table.Th scope="row" fw={500}>
                <Code>{c.checkId}</Code>
                <Text size="xs" c="dimmed">
                  {c.kind}
                </Text>
              </Table.Th>
              <Table.Td>
                <StatusBadge status={c.status} />
              </Table.Td>
              <Table.Td>{c.summary}</Table.Td>
              <Table.Td>
                <RelativeTime value={c.observedAt} now={now} />
              </Table.Td>
              <Table.Td>
                <Details details={c.details} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** A detail as a person reads it: lists joined, nested observations as "key: value" pairs. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.length === 0 ? '—' : value.map(describeValue).join(', ');
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([key, inner]) => `${key}: ${describeValue(inner)}`)
      .join('; ');
  }
  return String(value);
}

function Details({ details }: { details: CheckResult['details'] | null | undefined }) {
  const entries = Object.entries(details ?? {});
  if (entries.length === 0) return <Text c="dimmed">—</Text>;
  return (
    <dl className="details">
      {entries.map(([key, value]) => (
        <div key={key}>
          <dt>{key}</dt>
          <dd>{describeValue(value)}</dd>
        </div>
      ))}
    </dl>
  );
}
