import { Alert, Badge, Button, Group, Paper, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import {
  fetchCheckCatalogue,
  fetchPracticeChecks,
  removePracticeCheck,
  revertPracticeCheck,
  setPracticeCheck,
} from '../api/checks';
import type { CheckInput, PracticeCheckView } from '../api/types';
import { EMPTY_CHECK, describeSettings, kindLabel, settingTypes, toCheckForm } from '../lib/checkForm';
import { formatDurationWords } from '../lib/durationWords';
import { ruleTitle } from '../lib/rules';
import { CheckEditor } from './CheckEditor';
import { PingUrlPanel } from './PingUrlPanel';
import { ErrorState, LoadingState } from './QueryStates';
import { checkKeys, practiceKeys } from '../api/queryKeys';

const ORIGIN: Record<PracticeCheckView['origin'], string> = {
  GROUP: "group's",
  PRACTICE_OVERRIDE: 'own way',
  PRACTICE: 'own',
};

/**
 * The checks a practice's agents run: its group's set with what the practice runs its own way, adds or leaves out,
 * and the rules no check serves (configuration gaps). Provider admins change them.
 */
export function PracticeChecks({ practiceId, mayEdit }: { practiceId: string; mayEdit: boolean }) {
  const queryClient = useQueryClient();
  const checks = useQuery({
    queryKey: checkKeys.practice(practiceId),
    queryFn: ({ signal }) => fetchPracticeChecks(practiceId, signal),
  });
  const catalogue = useQuery({ queryKey: checkKeys.catalogue, queryFn: ({ signal }) => fetchCheckCatalogue(signal) });
  const [editing, setEditing] = useState<string | null>(null);
  const [pinging, setPinging] = useState<string | null>(null);
  const done = async () => {
    setEditing(null);
    await queryClient.invalidateQueries({ queryKey: checkKeys.practice(practiceId) });
    await queryClient.invalidateQueries({ queryKey: practiceKeys.compliance(practiceId) });
  };
  const save = useMutation({
    mutationFn: (input: CheckInput) => setPracticeCheck(practiceId, input.checkId!, input),
    onSuccess: done,
  });
  const remove = useMutation({
    mutationFn: (checkId: string) => removePracticeCheck(practiceId, checkId),
    onSuccess: done,
  });
  const revert = useMutation({
    mutationFn: (checkId: string) => revertPracticeCheck(practiceId, checkId),
    onSuccess: done,
  });

  if (checks.isPending || catalogue.isPending) return <LoadingState label="Loading the checks…" />;
  if (checks.isError)
    return <ErrorState title="Could not load the checks" error={checks.error} onRetry={() => void checks.refetch()} />;
  if (catalogue.isError)
    return (
      <ErrorState
        title="Could not load the kinds of check"
        error={catalogue.error}
        onRetry={() => void catalogue.refetch()}
      />
    );
  const list = checks.data.checks ?? [];
  const configurationGaps = checks.data.configurationGaps ?? [];
  const failed = remove.error ?? revert.error;
  const editedCheck = list.find((c) => c.checkId === editing);

  return (
    <>
      {configurationGaps.length > 0 && (
        <Alert color="orange" title="Configuration gaps" mb="sm" role="status" data-testid="configuration-gaps">
          No check provides evidence for {configurationGaps.map(ruleTitle).join(', ')}: add a check for{' '}
          {configurationGaps.length === 1 ? 'it' : 'each'} here or in the group's check set, or switch the rule off in
          the policy.
        </Alert>
      )}
      {failed && (
        <Alert color="red" title="Nothing was changed" role="alert" mb="sm">
          {failed.message}
        </Alert>
      )}
      {list.length === 0 ? (
        <Text c="dimmed">The practice's agents run no checks.</Text>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table verticalSpacing="xs" aria-label="Checks the practice's agents run">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Check</Table.Th>
                <Table.Th scope="col">Kind</Table.Th>
                <Table.Th scope="col">How often</Table.Th>
                <Table.Th scope="col">Settings</Table.Th>
                <Table.Th scope="col">From</Table.Th>
                {mayEdit && <Table.Th scope="col" />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((check) => (
                <Table.Tr
                  key={check.checkId}
                  data-testid="practice-check-row"
                  data-check-id={check.checkId}
                  data-removed={check.removed}
                  style={check.removed ? { opacity: 0.6 } : undefined}
                >
                  <Table.Th scope="row" fw={500}>
                    {check.removed ? <s>{check.checkId}</s> : check.checkId}
                  </Table.Th>
                  <Table.Td>{kindLabel(check.kind)}</Table.Td>
                  <Table.Td>every {formatDurationWords(check.intervalSeconds)}</Table.Td>
                  <Table.Td>{describeSettings(check.settings, settingTypes(catalogue.data, check.kind))}</Table.Td>
                  <Table.Td>
                    <Badge
                      variant="light"
                      color={check.origin === 'GROUP' ? 'gray' : 'blue'}
                      styles={{ label: { textTransform: 'none' } }}
                    >
                      {check.removed ? 'not run here' : ORIGIN[check.origin]}
                    </Badge>
                  </Table.Td>
                  {mayEdit && (
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        {!check.removed && (
                          <Button
                            size="xs"
                            variant="default"
                            onClick={() => {
                              save.reset();
                              setEditing(check.checkId);
                            }}
                          >
                            Run its own way
                          </Button>
                        )}
                        {!check.removed && (
                          <Button size="xs" variant="subtle" color="red" onClick={() => remove.mutate(check.checkId)}>
                            Not here
                          </Button>
                        )}
                        {!check.removed && check.kind === 'REPORTED_JOB' && (
                          <Button
                            size="xs"
                            variant="default"
                            onClick={() => setPinging(pinging === check.checkId ? null : check.checkId)}
                          >
                            Ping URL
                          </Button>
                        )}
                        {(check.removed || check.origin === 'PRACTICE_OVERRIDE') && (
                          <Button size="xs" variant="subtle" onClick={() => revert.mutate(check.checkId)}>
                            As the group
                          </Button>
                        )}
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {mayEdit && pinging !== null && (
        <Paper withBorder p="md" mt="sm">
          <PingUrlPanel practiceId={practiceId} checkId={pinging} />
        </Paper>
      )}
      {mayEdit && editing === null && (
        <Button
          variant="default"
          mt="sm"
          onClick={() => {
            save.reset();
            setEditing('');
          }}
        >
          Add a check for this practice
        </Button>
      )}
      {mayEdit && editing !== null && (
        <Paper withBorder p="md" mt="sm">
          <CheckEditor
            key={editing}
            catalogue={catalogue.data}
            initial={
              editedCheck ? toCheckForm(editedCheck, settingTypes(catalogue.data, editedCheck.kind)) : EMPTY_CHECK
            }
            idFixed={editing !== ''}
            submitLabel={editing === '' ? 'Add the check' : `Save ${editing} for this practice`}
            pending={save.isPending}
            error={save.error}
            onSubmit={(input) => save.mutate(input)}
            onCancel={() => setEditing(null)}
          />
        </Paper>
      )}
    </>
  );
}
