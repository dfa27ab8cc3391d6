import { Button, Group, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { download } from '../api/client';
import { fetchMonthlyReport } from '../api/reports';
import { fetchGroups } from '../api/tenancy';
import type { MonthlyReport, Objective } from '../api/types';
import { ErrorState, LoadingState } from '../components/QueryStates';
import { chartOf, currentMonth, monthLabel, recentMonths, ruleMonths } from '../lib/report';
import { ruleTitle } from '../lib/rules';
import { describeIsoDuration, formatAbsolute } from '../lib/time';
import { groupKeys, reportKeys } from '../api/queryKeys';

/**
 * Distinct, colour-blind-safe line colours (Okabe–Ito, its yellow swapped for a brown that reads
 * on white); the overall line is black and thicker.
 */
const LINE_COLOURS = ['#E69F00', '#56B4E9', '#009E73', '#D55E00', '#0072B2', '#CC79A7', '#7F7F7F', '#8C6D1F'];

/** A group's month for the board: a chart of the share passing each rule per day, failures, objectives, reviews. */
export function ReportPage() {
  const [params, setParams] = useSearchParams();
  const groups = useQuery({ queryKey: groupKeys.all, queryFn: ({ signal }) => fetchGroups(signal) });
  const groupId = params.get('group') ?? groups.data?.[0]?.id ?? null;
  const month = /^\d{4}-\d{2}$/.test(params.get('month') ?? '') ? params.get('month')! : currentMonth();
  const report = useQuery({
    queryKey: reportKeys.of(groupId, month),
    queryFn: ({ signal }) => fetchMonthlyReport(groupId!, month, signal),
    enabled: groupId !== null,
  });

  useEffect(() => {
    document.title = 'Compliance report · Rampart';
  }, []);

  const choose = (change: Record<string, string>) =>
    setParams({ ...(groupId ? { group: groupId } : {}), month, ...change }, { replace: true });

  return (
    <Stack gap="md">
      <Title order={1}>Compliance report</Title>
      <Group align="end" gap="sm" wrap="wrap">
        {groups.data && groups.data.length > 1 && (
          <Select
            label="Group"
            data={groups.data.map((g) => ({ value: g.id, label: g.name }))}
            value={groupId}
            onChange={(value) => value && choose({ group: value })}
            allowDeselect={false}
            w={260}
          />
        )}
        <Select
          label="Month"
          data={(recentMonths().includes(month) ? recentMonths() : [month, ...recentMonths()]).map((m) => ({
            value: m,
            label: monthLabel(m),
          }))}
          value={month}
          onChange={(value) => value && choose({ month: value })}
          allowDeselect={false}
          searchable
          w={200}
        />
        {groupId && <Downloads groupId={groupId} month={month} />}
      </Group>
      {groups.isError ? (
        <ErrorState title="Could not load your groups" error={groups.error} onRetry={() => void groups.refetch()} />
      ) : groups.data && groups.data.length === 0 ? (
        <Text c="dimmed">You see no group, so there is no report to show.</Text>
      ) : report.isPending ? (
        <LoadingState label="Loading the report…" />
      ) : report.isError ? (
        <ErrorState title="Could not load the report" error={report.error} onRetry={() => void report.refetch()} />
      ) : (
        <Report report={report.data} />
      )}
    </Stack>
  );
}

function Downloads({ groupId, month }: { groupId: string; month: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const get = async (kind: 'csv' | 'pdf') => {
    setBusy(kind);
    setError(null);
    try {
      const file = await download(
        `/api/groups/${encodeURIComponent(groupId)}/compliance/report.${kind}?month=${encodeURIComponent(month)}`,
        `rampart-report-${month}.${kind}`,
      );
      const url = URL.createObjectURL(file.blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = file.filename;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  };
  return (
    <>
      <Button variant="default" onClick={() => void get('pdf')} loading={busy === 'pdf'} data-testid="download-pdf">
        Download PDF
      </Button>
      <Button variant="default" onClick={() => void get('csv')} loading={busy === 'csv'} data-testid="download-csv">
        Download CSV
      </Button>
      {error && (
        <Text c="red.8" size="sm" role="alert">
          {error}
        </Text>
      )}
    </>
  );
}

const pct = (value: number | null) => (value === null ? '—' : `${value.toFixed(1)} %`);

function Report({ report }: { report: MonthlyReport }) {
  const chart = chartOf(report);
  // a line needs two days to show; with fewer, the points themselves must
  const dots = chart.days.filter((day) => day.overall !== null).length < 3 ? { r: 4 } : false;
  return (
    <Stack gap="lg">
      <Text data-testid="report-summary">
        <Text span fw={600}>
          {report.groupName}
        </Text>{' '}
        · {monthLabel(report.month)} · {report.practices} {report.practices === 1 ? 'practice' : 'practices'} ·
        generated {formatAbsolute(report.generatedAt)}
      </Text>

      <section aria-labelledby="chart-heading">
        <Title order={2} id="chart-heading" mb="xs">
          Share of practices passing, day by day
        </Title>
        <div
          role="img"
          aria-label={`Line chart of the share of practices passing each rule per day in ${monthLabel(report.month)}; the table below has the figures.`}
        >
          <ResponsiveContainer width="100%" height={320}>
            <LineChart data={chart.days} margin={{ top: 8, right: 24, bottom: 8, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="date" tickFormatter={(d: string) => d.slice(8)} />
              <YAxis domain={[0, 100]} unit=" %" width={64} />
              <Tooltip formatter={(value) => `${value} %`} />
              <Legend />
              <Line
                type="stepAfter"
                dataKey="overall"
                name="Every rule"
                stroke="#000"
                strokeWidth={3}
                dot={dots}
                connectNulls
              />
              {chart.rules.map((ruleId, i) => (
                <Line
                  key={ruleId}
                  type="stepAfter"
                  dataKey={ruleId}
                  name={ruleTitle(ruleId)}
                  stroke={LINE_COLOURS[i % LINE_COLOURS.length]}
                  strokeWidth={2}
                  dot={dots}
                  connectNulls
                />
              ))}
            </LineChart>
          </ResponsiveContainer>
        </div>
        <Table.ScrollContainer minWidth={560}>
          <Table verticalSpacing="xs" aria-labelledby="chart-heading" mt="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Rule</Table.Th>
                <Table.Th scope="col">Average</Table.Th>
                <Table.Th scope="col">Lowest day</Table.Th>
                <Table.Th scope="col">Last day</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {ruleMonths(report).map((rule) => (
                <Table.Tr key={rule.ruleId} data-testid="report-rule-row">
                  <Table.Th scope="row" fw={500}>
                    {ruleTitle(rule.ruleId)}
                  </Table.Th>
                  <Table.Td>{pct(rule.average)}</Table.Td>
                  <Table.Td>{pct(rule.lowest)}</Table.Td>
                  <Table.Td>{pct(rule.last)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </section>

      <section aria-labelledby="failures-heading">
        <Title order={2} id="failures-heading" mb="xs">
          Practices with failures
        </Title>
        {report.failures.length === 0 ? (
          <Text c="dimmed">No practice failed a rule this month.</Text>
        ) : (
          <Table verticalSpacing="xs" aria-labelledby="failures-heading">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Practice</Table.Th>
                <Table.Th scope="col">Rule</Table.Th>
                <Table.Th scope="col">Failing for</Table.Th>
                <Table.Th scope="col">Times</Table.Th>
                <Table.Th scope="col">At month end</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.failures.map((f) => (
                <Table.Tr key={`${f.practiceId}-${f.ruleId}`} data-testid="failure-row">
                  <Table.Th scope="row" fw={500}>
                    {f.practiceName}
                  </Table.Th>
                  <Table.Td>{ruleTitle(f.ruleId)}</Table.Td>
                  <Table.Td>{describeIsoDuration(f.failingFor)}</Table.Td>
                  <Table.Td>{f.episodes}</Table.Td>
                  <Table.Td>{f.stillFailing ? 'Still failing' : 'Recovered'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </section>

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <section aria-labelledby="objectives-heading">
          <Title order={2} id="objectives-heading" mb="xs">
            Restore time and sync lag
          </Title>
          <Table verticalSpacing="xs" aria-labelledby="objectives-heading">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Practice</Table.Th>
                <Table.Th scope="col">Restore time</Table.Th>
                <Table.Th scope="col">Sync lag</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.objectives.map((o) => (
                <Table.Tr key={o.practiceId} data-testid="objective-row">
                  <Table.Th scope="row" fw={500}>
                    {o.practiceName}
                  </Table.Th>
                  <Table.Td>{objectiveText(o.restoreTime)}</Table.Td>
                  <Table.Td>{objectiveText(o.syncLag)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </section>
        <section aria-labelledby="reviews-heading">
          <Title order={2} id="reviews-heading" mb="xs">
            Backup plan reviews
          </Title>
          <Table verticalSpacing="xs" aria-labelledby="reviews-heading">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Practice</Table.Th>
                <Table.Th scope="col">Last reviewed</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.planReviews.map((r) => (
                <Table.Tr key={r.practiceId} data-testid="review-row">
                  <Table.Th scope="row" fw={500}>
                    {r.practiceName}
                  </Table.Th>
                  <Table.Td>{r.reviewedAt ? `${formatAbsolute(r.reviewedAt)} by ${r.reviewedBy}` : 'Never'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </section>
      </SimpleGrid>
    </Stack>
  );
}

/** "6 min 30 s of 15 min ✓", or why there is no figure. */
function objectiveText(objective: Objective): string {
  if (!objective.measured) return `Not measured (objective ${describeIsoDuration(objective.objective)})`;
  return `${describeIsoDuration(objective.measured)} of ${describeIsoDuration(objective.objective)} · ${objective.met ? 'met' : 'NOT met'}`;
}
