import { Badge, Group, Paper, SimpleGrid, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { fetchPracticeCompliance } from '../api/practices';
import type { Objective } from '../api/types';
import { ruleTitle, RULES } from '../lib/rules';
import { statusRank } from '../lib/status';
import { describeIsoDuration } from '../lib/time';
import { ErrorState, LoadingState } from './QueryStates';
import { RelativeTime } from './RelativeTime';
import { StatusBadge } from './StatusBadge';
import { practiceKeys } from '../api/queryKeys';

const POLICY_ORDER = RULES.map((r) => r.id);

/** Every rule of the group's policy for one practice, worst first, with its reason in words. */
export function PracticeRules({ practiceId, now }: { practiceId: string; now: number }) {
  const compliance = useQuery({
    queryKey: practiceKeys.compliance(practiceId),
    queryFn: ({ signal }) => fetchPracticeCompliance(practiceId, signal),
    refetchInterval: 15_000,
  });
  if (compliance.isPending) return <LoadingState label="Loading the rules…" />;
  if (compliance.isError)
    return (
      <ErrorState title="Could not load the rules" error={compliance.error} onRetry={() => void compliance.refetch()} />
    );
  const report = compliance.data;
  if (report.rules.length === 0)
    return <Text c="dimmed">Not evaluated yet: the first evaluation runs within a minute.</Text>;
  const rules = [...report.rules].sort(
    (a, b) =>
      statusRank(a.status) - statusRank(b.status) || POLICY_ORDER.indexOf(a.ruleId) - POLICY_ORDER.indexOf(b.ruleId),
  );
  return (
    <>
      {report.objectives && (
        <SimpleGrid cols={{ base: 1, sm: 2 }} mb="md">
          <ObjectiveCard title="Restore time" objective={report.objectives.downtime} now={now} />
          <ObjectiveCard title="Data loss (sync lag)" objective={report.objectives.dataLoss} now={now} />
        </SimpleGrid>
      )}
      <Table.ScrollContainer minWidth={640}>
        <Table verticalSpacing="sm" aria-labelledby="rules-heading">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Rule</Table.Th>
              <Table.Th scope="col">State</Table.Th>
              <Table.Th scope="col">Why</Table.Th>
              <Table.Th scope="col">Since</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rules.map((rule) => (
              <Table.Tr key={rule.ruleId} data-testid="rule-row" data-rule-id={rule.ruleId}>
                <Table.Th scope="row" fw={500}>
                  {ruleTitle(rule.ruleId)}
                </Table.Th>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <StatusBadge status={rule.status} />
                    {rule.configurationGap && <ConfigurationGapBadge />}
                  </Group>
                </Table.Td>
                <Table.Td>{rule.reason}</Table.Td>
                <Table.Td>
                  <RelativeTime value={rule.since} now={now} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Text size="xs" c="dimmed" mt="xs">
        {/* version 0 is the reference policy, which nobody has changed for this group yet (as the Policy page says) */}
        {report.policyVersion ? `Policy version ${report.policyVersion}` : 'The reference policy'}, evaluated{' '}
        <RelativeTime value={report.evaluatedAt} now={now} />.
      </Text>
    </>
  );
}

/** Not "no data yet": no configured check can ever give this rule evidence until a person adds one. */
export function ConfigurationGapBadge() {
  return (
    <Badge
      color="orange"
      variant="outline"
      data-testid="configuration-gap"
      styles={{ label: { textTransform: 'none' } }}
      title="No configured check provides evidence for this rule: add one on the Checks page"
    >
      configuration gap
    </Badge>
  );
}

function ObjectiveCard({ title, objective, now }: { title: string; objective: Objective; now: number }) {
  const verdict =
    objective.met === null ? 'Not measured yet' : objective.met ? 'Within the objective' : 'Over the objective';
  return (
    <Paper withBorder p="sm" data-testid="objective">
      <Title order={3} size="h5">
        {title}
      </Title>
      <Group gap="xs" align="baseline">
        <Text size="xl" fw={700}>
          {objective.measured ? describeIsoDuration(objective.measured) : '—'}
        </Text>
        <Text size="sm" c="dimmed">
          objective {describeIsoDuration(objective.objective)}
        </Text>
      </Group>
      <Text size="sm" c={objective.met === false ? 'red.8' : undefined} fw={objective.met === false ? 600 : undefined}>
        {verdict}
        {objective.measuredAt ? ' · measured ' : ''}
        {objective.measuredAt && <RelativeTime value={objective.measuredAt} now={now} />}
        {objective.source ? ` · ${objective.source}` : ''}
      </Text>
    </Paper>
  );
}
