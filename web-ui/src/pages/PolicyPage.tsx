import {
  Alert,
  Button,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { ApiError } from '../api/client';
import { changePolicy, fetchPolicy, fetchPolicyVersions } from '../api/policy';
import { fetchGroups } from '../api/tenancy';
import type { PolicyVersion } from '../api/types';
import { useIsProviderAdmin } from '../auth/me';
import { ErrorState, LoadingState } from '../components/QueryStates';
import { RelativeTime } from '../components/RelativeTime';
import { errorsByField } from '../lib/fieldErrors';
import {
  type PolicyForm,
  type ThresholdTypes,
  thresholdHint,
  thresholdLabel,
  toDocument,
  toForm,
} from '../lib/policyForm';
import { RULES, ruleTitle } from '../lib/rules';
import { useNow } from '../lib/useNow';
import { groupKeys, policyKeys } from '../api/queryKeys';

/** A group's policy: every rule on or off with its thresholds; provider admins change it, everyone else reads it. */
export function PolicyPage() {
  const [params, setParams] = useSearchParams();
  const groups = useQuery({ queryKey: groupKeys.all, queryFn: ({ signal }) => fetchGroups(signal) });
  const groupId = params.get('group') ?? groups.data?.[0]?.id ?? null;
  // kept here: a save re-mounts the editor with the new version, and the confirmation must survive it
  const [saved, setSaved] = useState<number | null>(null);
  const policy = useQuery({
    queryKey: policyKeys.current(groupId),
    queryFn: ({ signal }) => fetchPolicy(groupId!, signal),
    enabled: groupId !== null,
  });

  useEffect(() => {
    document.title = 'Policy · Rampart';
  }, []);

  return (
    <Stack gap="md">
      <Title order={1}>Policy</Title>
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
        <Text c="dimmed">You see no group, so there is no policy to show.</Text>
      ) : policy.isPending ? (
        <LoadingState label="Loading the policy…" />
      ) : policy.isError ? (
        <ErrorState title="Could not load the policy" error={policy.error} onRetry={() => void policy.refetch()} />
      ) : (
        // a new version re-mounts the form with what the server now holds
        <PolicyEditor
          key={`${groupId}-${policy.data.version}`}
          groupId={groupId!}
          current={policy.data}
          saved={saved === policy.data.version ? saved : null}
          onSaved={setSaved}
        />
      )}
      {groupId && policy.isSuccess && <PolicyVersions groupId={groupId} />}
    </Stack>
  );
}

function PolicyEditor({
  groupId,
  current,
  saved,
  onSaved,
}: {
  groupId: string;
  current: PolicyVersion;
  saved: number | null;
  onSaved: (version: number | null) => void;
}) {
  const isAdmin = useIsProviderAdmin();
  const queryClient = useQueryClient();
  const [{ form, types }, setState] = useState<{ form: PolicyForm; types: ThresholdTypes }>(() =>
    toForm(current.document),
  );
  const [comment, setComment] = useState('');
  const save = useMutation({
    mutationFn: () => changePolicy(groupId, toDocument(form, types), comment.trim(), current.version),
    onSuccess: async (version) => {
      onSaved(version.version);
      await queryClient.invalidateQueries({ queryKey: policyKeys.current(groupId) });
      await queryClient.invalidateQueries({ queryKey: policyKeys.versions(groupId) });
    },
  });
  const problem = save.error instanceof ApiError ? save.error.problem : null;
  const fieldErrors = errorsByField(problem?.errors);
  const unplaced = (problem?.errors ?? []).filter(
    (e) => !e.field.startsWith('document.rules.') && e.field !== 'comment',
  );

  const setRule = (ruleId: string, change: Partial<PolicyForm[string]>) =>
    setState((state) => ({ ...state, form: { ...state.form, [ruleId]: { ...state.form[ruleId]!, ...change } } }));

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        onSaved(null);
        save.mutate();
      }}
      aria-label="Group policy"
    >
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          Version {current.version}
          {current.changedBy ? ` · changed by ${current.changedBy}` : ' · the reference policy'}
          {current.changedBy && current.comment ? ` · “${current.comment}”` : ''}
          {!isAdmin && ' · only provider admins change the policy'}
        </Text>
        {saved !== null && (
          <Alert color="green" role="status" data-testid="policy-saved">
            Saved as version {saved}. The agents get the new thresholds at their next configuration fetch, and every
            practice is evaluated again.
          </Alert>
        )}
        {save.isError && (
          <Alert color="red" title="Nothing was changed" role="alert" data-testid="policy-error">
            {save.error.message}
            {unplaced.map((e) => (
              <Text key={e.field} size="sm">
                {e.field}: {e.message}
              </Text>
            ))}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          {RULES.filter((rule) => form[rule.id]).map((rule) => {
            const setting = form[rule.id]!;
            return (
              <Paper key={rule.id} withBorder p="md" data-testid="policy-rule" data-rule-id={rule.id}>
                <Group justify="space-between" mb="xs">
                  <Title order={2} size="h4">
                    {ruleTitle(rule.id)}
                  </Title>
                  <Switch
                    label={setting.enabled ? 'On' : 'Off'}
                    checked={setting.enabled}
                    disabled={!isAdmin}
                    onChange={(event) => setRule(rule.id, { enabled: event.currentTarget.checked })}
                    aria-label={`${ruleTitle(rule.id)} on`}
                  />
                </Group>
                <Stack gap="xs">
                  {Object.entries(setting.thresholds).map(([key, value]) => {
                    const type = types[rule.id]?.[key];
                    return (
                      <TextInput
                        key={key}
                        label={thresholdLabel(key)}
                        value={value}
                        readOnly={!isAdmin}
                        disabled={!setting.enabled}
                        // durations as people say them ("26 hours", "90 days"); the server checks every value on save
                        placeholder={
                          type === 'duration' ? 'e.g. 26 hours' : type === 'period' ? 'e.g. 3 years' : undefined
                        }
                        description={isAdmin ? thresholdHint(type, value) : undefined}
                        error={fieldErrors[`rules.${rule.id}.${key}`]}
                        onChange={(event) =>
                          setRule(rule.id, { thresholds: { ...setting.thresholds, [key]: event.currentTarget.value } })
                        }
                      />
                    );
                  })}
                </Stack>
              </Paper>
            );
          })}
        </SimpleGrid>
        {isAdmin && (
          <Group align="end">
            <Textarea
              label="Why (kept with the version)"
              placeholder="e.g. the nightly copy runs late at weekends"
              value={comment}
              onChange={(event) => setComment(event.currentTarget.value)}
              error={fieldErrors.comment}
              rows={2}
              w={480}
            />
            <Button type="submit" loading={save.isPending}>
              Save as a new version
            </Button>
          </Group>
        )}
      </Stack>
    </form>
  );
}

function PolicyVersions({ groupId }: { groupId: string }) {
  const now = useNow();
  const versions = useQuery({
    queryKey: policyKeys.versions(groupId),
    queryFn: ({ signal }) => fetchPolicyVersions(groupId, signal),
  });
  return (
    <section aria-labelledby="versions-heading">
      <Title order={2} id="versions-heading" mb="xs">
        Who changed what
      </Title>
      {versions.isPending ? (
        <LoadingState label="Loading the versions…" />
      ) : versions.isError ? (
        <ErrorState
          title="Could not load the versions"
          error={versions.error}
          onRetry={() => void versions.refetch()}
        />
      ) : versions.data.length === 0 ? (
        <Text c="dimmed">Nobody has changed this group's policy: it is the reference policy.</Text>
      ) : (
        <Table verticalSpacing="xs" aria-labelledby="versions-heading">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Version</Table.Th>
              <Table.Th scope="col">By</Table.Th>
              <Table.Th scope="col">When</Table.Th>
              <Table.Th scope="col">Why</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {versions.data.map((v) => (
              <Table.Tr key={v.version} data-testid="policy-version-row">
                <Table.Td>{v.version}</Table.Td>
                <Table.Td>{v.changedBy}</Table.Td>
                <Table.Td>
                  <RelativeTime value={v.changedAt} now={now} />
                </Table.Td>
                <Table.Td>{v.comment || '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </section>
  );
}
