import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import {
  addGroupCheck,
  applyCheckTemplate,
  changeGroupCheck,
  fetchCheckCatalogue,
  fetchGroupChecks,
  removeGroupCheck,
} from '../api/checks';
import { fetchGroups } from '../api/tenancy';
import type { CheckCatalogue, CheckInput, CheckView } from '../api/types';
import { useIsProviderAdmin } from '../auth/me';
import { CheckEditor } from '../components/CheckEditor';
import { ErrorState, LoadingState } from '../components/QueryStates';
import { EMPTY_CHECK, describeSettings, kindLabel, settingTypes, toCheckForm } from '../lib/checkForm';
import { formatDurationWords } from '../lib/durationWords';
import { fieldErrorsOf } from '../lib/fieldErrors';
import { ruleTitle } from '../lib/rules';
import { checkKeys, groupKeys } from '../api/queryKeys';

/** A group's check set: what every practice's agents run; provider admins start it from a template and edit it. */
export function ChecksPage() {
  const [params, setParams] = useSearchParams();
  const groups = useQuery({ queryKey: groupKeys.all, queryFn: ({ signal }) => fetchGroups(signal) });
  const catalogue = useQuery({ queryKey: checkKeys.catalogue, queryFn: ({ signal }) => fetchCheckCatalogue(signal) });
  const groupId = params.get('group') ?? groups.data?.[0]?.id ?? null;
  const checks = useQuery({
    queryKey: checkKeys.group(groupId ?? ''),
    queryFn: ({ signal }) => fetchGroupChecks(groupId!, signal),
    enabled: groupId !== null,
  });

  useEffect(() => {
    document.title = 'Checks · Rampart';
  }, []);

  return (
    <Stack gap="md">
      <Title order={1}>Checks</Title>
      <Text c="dimmed" size="sm">
        What every practice's agents check. Each check whose id starts with a rule's id gives that rule its evidence,
        with the thresholds of the group's policy; a practice can run a check its own way on its own page.
      </Text>
      {groups.data && groups.data.length > 1 && (
        <Select
          label="Group"
          data={groups.data.map((g) => ({ value: g.id, label: g.name }))}
          value={groupId}
          onChange={(value) => value && setParams({ group: value }, { replace: true })}
          allowDeselect={false}
          w={260}
        />
      )}
      {groups.isError ? (
        <ErrorState title="Could not load your groups" error={groups.error} onRetry={() => void groups.refetch()} />
      ) : groups.data && groups.data.length === 0 ? (
        <Text c="dimmed">You see no group, so there are no checks to show.</Text>
      ) : checks.isPending || catalogue.isPending ? (
        <LoadingState label="Loading the checks…" />
      ) : checks.isError ? (
        <ErrorState title="Could not load the checks" error={checks.error} onRetry={() => void checks.refetch()} />
      ) : catalogue.isError ? (
        <ErrorState
          title="Could not load the kinds of check"
          error={catalogue.error}
          onRetry={() => void catalogue.refetch()}
        />
      ) : (
        <GroupChecks key={groupId} groupId={groupId!} checks={checks.data} catalogue={catalogue.data} />
      )}
    </Stack>
  );
}

function GroupChecks({
  groupId,
  checks,
  catalogue,
}: {
  groupId: string;
  checks: CheckView[];
  catalogue: CheckCatalogue;
}) {
  const isAdmin = useIsProviderAdmin();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: checkKeys.group(groupId) });
  const save = useMutation({
    mutationFn: (input: CheckInput) =>
      editing === '' ? addGroupCheck(groupId, input) : changeGroupCheck(groupId, editing!, input),
    onSuccess: async (check) => {
      setNotice(`Saved ${check.checkId}. The agents get it with their next configuration.`);
      setEditing(null);
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (checkId: string) => removeGroupCheck(groupId, checkId),
    onSuccess: async (_, checkId) => {
      setNotice(`Removed ${checkId}.`);
      await refresh();
    },
  });

  return (
    <Stack gap="md">
      {notice && (
        <Alert color="green" role="status" data-testid="checks-saved" withCloseButton onClose={() => setNotice(null)}>
          {notice}
        </Alert>
      )}
      {remove.isError && (
        <Alert color="red" title="Nothing was changed" role="alert">
          {remove.error.message}
        </Alert>
      )}
      {isAdmin && (
        <TemplatePicker groupId={groupId} catalogue={catalogue} hasChecks={checks.length > 0} onApplied={setNotice} />
      )}
      {checks.length === 0 ? (
        <Text c="dimmed">
          This group has no checks: its agents check nothing, and every rule that needs a check is a configuration gap.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table verticalSpacing="sm" aria-label="Checks of the group">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Check</Table.Th>
                <Table.Th scope="col">Kind</Table.Th>
                <Table.Th scope="col">How often</Table.Th>
                <Table.Th scope="col">Settings</Table.Th>
                <Table.Th scope="col">Evidence for</Table.Th>
                {isAdmin && <Table.Th scope="col" />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {checks.map((check) => (
                <Table.Tr key={check.checkId} data-testid="check-row" data-check-id={check.checkId}>
                  <Table.Th scope="row" fw={500}>
                    {check.checkId}
                  </Table.Th>
                  <Table.Td>{kindLabel(check.kind)}</Table.Td>
                  <Table.Td>every {formatDurationWords(check.intervalSeconds)}</Table.Td>
                  <Table.Td>{describeSettings(check.settings, settingTypes(catalogue, check.kind))}</Table.Td>
                  <Table.Td>
                    {check.servesRule ? ruleTitle(check.servesRule) : <Text c="dimmed">no rule</Text>}
                  </Table.Td>
                  {isAdmin && (
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <Button
                          size="xs"
                          variant="default"
                          onClick={() => {
                            save.reset();
                            setEditing(check.checkId);
                          }}
                        >
                          Change
                        </Button>
                        <Button
                          size="xs"
                          variant="subtle"
                          color="red"
                          loading={remove.isPending && remove.variables === check.checkId}
                          onClick={() => remove.mutate(check.checkId)}
                        >
                          Remove
                        </Button>
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {isAdmin && editing === null && (
        <Group>
          <Button
            variant="default"
            onClick={() => {
              save.reset();
              setEditing('');
            }}
          >
            Add a check
          </Button>
        </Group>
      )}
      {isAdmin && editing !== null && (
        <Paper withBorder p="md">
          <CheckEditor
            key={editing}
            catalogue={catalogue}
            initial={
              editing === ''
                ? EMPTY_CHECK
                : toCheckForm(
                    checks.find((c) => c.checkId === editing)!,
                    settingTypes(catalogue, checks.find((c) => c.checkId === editing)!.kind),
                  )
            }
            idFixed={editing !== ''}
            submitLabel={editing === '' ? 'Add the check' : `Save ${editing}`}
            pending={save.isPending}
            error={save.error}
            onSubmit={(input) => save.mutate(input)}
            onCancel={() => setEditing(null)}
          />
        </Paper>
      )}
    </Stack>
  );
}

function TemplatePicker({
  groupId,
  catalogue,
  hasChecks,
  onApplied,
}: {
  groupId: string;
  catalogue: CheckCatalogue;
  hasChecks: boolean;
  onApplied: (notice: string) => void;
}) {
  const queryClient = useQueryClient();
  const [template, setTemplate] = useState<string>(catalogue.templates[0]?.id ?? 'reference');
  const [cloudTool, setCloudTool] = useState('RESTIC');
  const [restoreSource, setRestoreSource] = useState('');
  const [replace, setReplace] = useState(false);
  const apply = useMutation({
    mutationFn: () =>
      applyCheckTemplate(groupId, { template, cloudTool, restoreSource: restoreSource.trim() || undefined, replace }),
    onSuccess: async (checks) => {
      onApplied(`The group now has ${checks.length} checks from the template. Edit them below.`);
      await queryClient.invalidateQueries({ queryKey: checkKeys.group(groupId) });
    },
  });
  const errors = fieldErrorsOf(apply.error);
  const chosen = catalogue.templates.find((t) => t.id === template);
  return (
    <Paper withBorder p="md" data-testid="check-templates">
      <Title order={2} size="h4" mb="xs">
        Start from a template
      </Title>
      <Group align="end" gap="sm">
        <Select
          label="Template"
          data={catalogue.templates.map((t) => ({ value: t.id, label: t.name }))}
          value={template}
          onChange={(value) => value && setTemplate(value)}
          allowDeselect={false}
          error={errors.template}
          w={240}
        />
        <Select
          label="Cloud copy with"
          data={[
            { value: 'RESTIC', label: 'restic' },
            { value: 'BORG', label: 'borg' },
          ]}
          value={cloudTool}
          onChange={(value) => value && setCloudTool(value)}
          allowDeselect={false}
          error={errors.cloudTool}
          w={140}
        />
        <TextInput
          label="Restore test restores"
          placeholder="cloud-copy"
          value={restoreSource}
          onChange={(event) => setRestoreSource(event.currentTarget.value)}
          error={errors.restoreSource}
          w={200}
        />
        {hasChecks && (
          <Checkbox
            label="Replace the current checks"
            checked={replace}
            onChange={(event) => setReplace(event.currentTarget.checked)}
            mb={8}
          />
        )}
        <Button onClick={() => apply.mutate()} loading={apply.isPending}>
          Apply the template
        </Button>
      </Group>
      {chosen && (
        <Text size="sm" c="dimmed" mt="xs">
          {chosen.description}. Layers:{' '}
          {chosen.layers.map((l) => (
            <Badge key={l} variant="light" mr={4} styles={{ label: { textTransform: 'none' } }}>
              {ruleTitle(l)}
            </Badge>
          ))}
        </Text>
      )}
      {apply.isError && Object.keys(errors).length === 0 && (
        <Alert color="red" title="Nothing was changed" role="alert" mt="sm" data-testid="template-error">
          {apply.error.message}
        </Alert>
      )}
    </Paper>
  );
}
