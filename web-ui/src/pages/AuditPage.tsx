import { Button, Code, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Fragment, useEffect, useState } from 'react';
import { isForbidden } from '../api/client';
import { fetchAudit } from '../api/audit';
import type { AuditEntry } from '../api/types';
import { ErrorState, LoadingState } from '../components/QueryStates';
import { RelativeTime } from '../components/RelativeTime';
import { useNow } from '../lib/useNow';
import { auditKeys } from '../api/queryKeys';

export const AUDIT_LIMIT = 200;

/** /audit: who changed what, newest first (provider admins; the server enforces it). */
export function AuditPage() {
  const now = useNow();
  const audit = useQuery({
    queryKey: auditKeys.latest(AUDIT_LIMIT),
    queryFn: ({ signal }) => fetchAudit(AUDIT_LIMIT, signal),
  });

  useEffect(() => {
    document.title = 'Audit log · Rampart';
  }, []);

  return (
    <Stack gap="md">
      <Title order={1} id="audit-heading">
        Audit log
      </Title>
      {audit.isPending ? (
        <LoadingState label="Loading the audit log…" />
      ) : audit.isError ? (
        isForbidden(audit.error) ? (
          <Text role="alert">{audit.error.message}</Text>
        ) : (
          <ErrorState
            title="Could not load the audit log"
            error={audit.error}
            onRetry={() => void audit.refetch()}
            retrying={audit.isFetching}
          />
        )
      ) : audit.data.length === 0 ? (
        <Text py="xl" ta="center" c="dimmed">
          Nothing has been recorded yet.
        </Text>
      ) : (
        <>
          <Text size="sm" c="dimmed">
            {audit.data.length === AUDIT_LIMIT
              ? `The latest ${AUDIT_LIMIT} entries, newest first.`
              : `${audit.data.length} ${audit.data.length === 1 ? 'entry' : 'entries'}, newest first.`}
          </Text>
          <AuditTable entries={audit.data} now={now} />
        </>
      )}
    </Stack>
  );
}

export function AuditTable({ entries, now }: { entries: readonly AuditEntry[]; now: number }) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const newestFirst = [...entries].sort((a, b) => Date.parse(b.occurredAt) - Date.parse(a.occurredAt));

  return (
    <Table.ScrollContainer minWidth={720}>
      <Table verticalSpacing="sm" aria-labelledby="audit-heading">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">When</Table.Th>
            <Table.Th scope="col">Who</Table.Th>
            <Table.Th scope="col">Action</Table.Th>
            <Table.Th scope="col">Target</Table.Th>
            <Table.Th scope="col">Changes</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {newestFirst.map((e) => {
            const expanded = open.has(e.id);
            const hasChanges = e.before !== null || e.after !== null;
            const detailsId = `audit-changes-${e.id}`;
            return (
              <Fragment key={e.id}>
                <Table.Tr data-testid="audit-row" data-audit-id={e.id}>
                  <Table.Td>
                    <RelativeTime value={e.occurredAt} now={now} />
                  </Table.Td>
                  <Table.Td>{e.actor}</Table.Td>
                  <Table.Td>
                    <Code>{e.action}</Code>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {e.targetType} <Code>{e.targetId}</Code>
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {hasChanges ? (
                      <Button
                        size="xs"
                        variant="subtle"
                        onClick={() => toggle(e.id)}
                        aria-expanded={expanded}
                        aria-controls={expanded ? detailsId : undefined}
                      >
                        {expanded ? 'Hide changes' : 'Show changes'}
                      </Button>
                    ) : (
                      <Text c="dimmed">—</Text>
                    )}
                  </Table.Td>
                </Table.Tr>
                {expanded && (
                  <Table.Tr id={detailsId} data-testid="audit-changes">
                    <Table.Td colSpan={5}>
                      <SimpleGrid cols={{ base: 1, sm: 2 }}>
                        <JsonBlock label="Before" value={e.before} />
                        <JsonBlock label="After" value={e.after} />
                      </SimpleGrid>
                    </Table.Td>
                  </Table.Tr>
                )}
              </Fragment>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function JsonBlock({ label, value }: { label: string; value: AuditEntry['before'] }) {
  return (
    <div>
      <Group mb={4}>
        <Text size="sm" fw={600}>
          {label}
        </Text>
      </Group>
      {value === null ? (
        <Text size="sm" c="dimmed">
          (none)
        </Text>
      ) : (
        <Code block>{JSON.stringify(value, null, 2)}</Code>
      )}
    </div>
  );
}
