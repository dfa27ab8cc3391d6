import {
  Alert,
  Button,
  Checkbox,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import {
  fetchGroupNotificationSettings,
  fetchProviderNotificationSettings,
  saveGroupNotificationSettings,
  saveProviderNotificationSettings,
} from '../api/notifications';
import { fetchGroups } from '../api/tenancy';
import type { GroupNotificationSettings, ProviderNotificationSettings } from '../api/types';
import { useMe } from '../auth/me';
import { ErrorState, LoadingState } from '../components/QueryStates';
import { fieldErrorsOf } from '../lib/fieldErrors';
import { RULES } from '../lib/rules';
import { describeIsoDuration } from '../lib/time';
import { groupKeys, notificationKeys } from '../api/queryKeys';

/** Who is told, and when: the provider's on-call escalation and digest, each group's quiet hours and digest. */
export function NotificationsPage() {
  const me = useMe();
  const role = me.data?.role;
  useEffect(() => {
    document.title = 'Notifications · Rampart';
  }, []);
  return (
    <Stack gap="lg">
      <Title order={1}>Notifications</Title>
      {(role === 'provider-admin' || role === 'provider-technician') && (
        <ProviderSettings editable={role === 'provider-admin'} />
      )}
      <GroupSettings editable={role === 'provider-admin' || role === 'group-manager'} />
    </Stack>
  );
}

function ProviderSettings({ editable }: { editable: boolean }) {
  const settings = useQuery({
    queryKey: notificationKeys.provider,
    queryFn: ({ signal }) => fetchProviderNotificationSettings(signal),
  });
  if (settings.isPending) return <LoadingState label="Loading your provider's settings…" />;
  if (settings.isError)
    return (
      <ErrorState title="Could not load the settings" error={settings.error} onRetry={() => void settings.refetch()} />
    );
  return <ProviderForm initial={settings.data} editable={editable} />;
}

function ProviderForm({ initial, editable }: { initial: ProviderNotificationSettings; editable: boolean }) {
  const queryClient = useQueryClient();
  const [form, setForm] = useState({
    ...initial,
    onCallEmail: initial.onCallEmail ?? '',
    digestEmail: initial.digestEmail ?? '',
  });
  const save = useMutation({
    mutationFn: () =>
      saveProviderNotificationSettings({
        ...form,
        onCallEmail: form.onCallEmail || null,
        digestEmail: form.digestEmail || null,
      }),
    onSuccess: (saved) => queryClient.setQueryData(notificationKeys.provider, saved),
  });
  const errors = fieldErrorsOf(save.error);
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="provider-notifications-heading">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Stack gap="sm">
          <Title order={2} size="h3" id="provider-notifications-heading">
            Your provider: escalation and digest
          </Title>
          {save.isSuccess && (
            <Alert color="green" role="status">
              Saved.
            </Alert>
          )}
          {save.isError && (
            <Alert color="red" role="alert">
              {save.error.message}
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label="On-call address"
              description="Critical alerts nobody acknowledged go here; empty: never escalate"
              value={form.onCallEmail}
              readOnly={!editable}
              error={errors.onCallEmail}
              onChange={(e) => setForm({ ...form, onCallEmail: e.currentTarget.value })}
            />
            <TextInput
              label="Escalate after"
              description={`ISO-8601, e.g. PT2H (${describeIsoDuration(form.escalateAfter)})`}
              value={form.escalateAfter}
              readOnly={!editable}
              error={errors.escalateAfter}
              onChange={(e) => setForm({ ...form, escalateAfter: e.currentTarget.value })}
            />
            <TextInput
              label="Daily digest to"
              description="Your service desk; empty: no provider digest"
              value={form.digestEmail}
              readOnly={!editable}
              error={errors.digestEmail}
              onChange={(e) => setForm({ ...form, digestEmail: e.currentTarget.value })}
            />
            <Group grow>
              <TextInput
                label="Digest at"
                type="time"
                value={form.digestTime}
                readOnly={!editable}
                error={errors.digestTime}
                onChange={(e) => setForm({ ...form, digestTime: e.currentTarget.value })}
              />
              <TextInput
                label="Time zone"
                value={form.timeZone}
                readOnly={!editable}
                error={errors.timeZone}
                onChange={(e) => setForm({ ...form, timeZone: e.currentTarget.value })}
              />
            </Group>
          </SimpleGrid>
          {editable && (
            <Group>
              <Button type="submit" loading={save.isPending}>
                Save
              </Button>
            </Group>
          )}
        </Stack>
      </form>
    </Paper>
  );
}

function GroupSettings({ editable }: { editable: boolean }) {
  const [params, setParams] = useSearchParams();
  const groups = useQuery({ queryKey: groupKeys.all, queryFn: ({ signal }) => fetchGroups(signal) });
  const groupId = params.get('group') ?? groups.data?.[0]?.id ?? null;
  const settings = useQuery({
    queryKey: notificationKeys.group(groupId),
    queryFn: ({ signal }) => fetchGroupNotificationSettings(groupId!, signal),
    enabled: groupId !== null,
  });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="group-notifications-heading">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h3" id="group-notifications-heading">
            Group: quiet hours, critical rules and digest
          </Title>
          {groups.data && groups.data.length > 1 && (
            <Select
              aria-label="Group"
              data={groups.data.map((g) => ({ value: g.id, label: g.name }))}
              value={groupId}
              onChange={(value) => value && setParams({ group: value }, { replace: true })}
              allowDeselect={false}
              w={240}
            />
          )}
        </Group>
        {groups.isError ? (
          <ErrorState title="Could not load your groups" error={groups.error} onRetry={() => void groups.refetch()} />
        ) : groups.data && groups.data.length === 0 ? (
          <Text c="dimmed">You see no group.</Text>
        ) : settings.isPending ? (
          <LoadingState label="Loading the group's settings…" />
        ) : settings.isError ? (
          <ErrorState
            title="Could not load the settings"
            error={settings.error}
            onRetry={() => void settings.refetch()}
          />
        ) : (
          // keyed by group only: a save must not re-mount the form and lose its confirmation
          <GroupForm key={groupId} groupId={groupId!} initial={settings.data} editable={editable} />
        )}
      </Stack>
    </Paper>
  );
}

function GroupForm({
  groupId,
  initial,
  editable,
}: {
  groupId: string;
  initial: GroupNotificationSettings;
  editable: boolean;
}) {
  const queryClient = useQueryClient();
  const [form, setForm] = useState({
    ...initial,
    quietFrom: initial.quietHours?.from ?? '',
    quietTo: initial.quietHours?.to ?? '',
    groupWindow: initial.groupWindow ?? '',
  });
  const save = useMutation({
    mutationFn: () =>
      saveGroupNotificationSettings(groupId, {
        alertOnAtRisk: form.alertOnAtRisk,
        quietHours: form.quietFrom || form.quietTo ? { from: form.quietFrom, to: form.quietTo } : null,
        criticalRules: form.criticalRules,
        timeZone: form.timeZone,
        digestTime: form.digestTime,
        // empty: the installation's default (sent as nothing)
        groupWindow: form.groupWindow || undefined,
      }),
    onSuccess: (saved) => queryClient.setQueryData(notificationKeys.group(groupId), saved),
  });
  const errors = fieldErrorsOf(save.error);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
      aria-label="Group notification settings"
    >
      <Stack gap="sm">
        {save.isSuccess && (
          <Alert color="green" role="status">
            Saved.
          </Alert>
        )}
        {save.isError && (
          <Alert color="red" role="alert">
            {save.error.message}
          </Alert>
        )}
        <Switch
          label="Email when a rule is at risk, before it fails"
          checked={form.alertOnAtRisk}
          disabled={!editable}
          onChange={(e) => setForm({ ...form, alertOnAtRisk: e.currentTarget.checked })}
        />
        <Group grow align="start">
          <TextInput
            label="Quiet from"
            type="time"
            value={form.quietFrom}
            readOnly={!editable}
            error={errors['quietHours.from']}
            description="Emails about non-critical rules wait"
            onChange={(e) => setForm({ ...form, quietFrom: e.currentTarget.value })}
          />
          <TextInput
            label="Quiet until"
            type="time"
            value={form.quietTo}
            readOnly={!editable}
            error={errors['quietHours.to']}
            description="Empty both: no quiet hours"
            onChange={(e) => setForm({ ...form, quietTo: e.currentTarget.value })}
          />
          <TextInput
            label="Group managers' digest at"
            type="time"
            value={form.digestTime}
            readOnly={!editable}
            error={errors.digestTime}
            onChange={(e) => setForm({ ...form, digestTime: e.currentTarget.value })}
          />
          <TextInput
            label="Time zone"
            value={form.timeZone}
            readOnly={!editable}
            error={errors.timeZone}
            onChange={(e) => setForm({ ...form, timeZone: e.currentTarget.value })}
          />
          <TextInput
            label="One email per incident within"
            value={form.groupWindow}
            readOnly={!editable}
            error={errors.groupWindow}
            description={`A practice's failures within this go out as one email${form.groupWindow ? ` (${describeIsoDuration(form.groupWindow)})` : ''}; PT0S to PT15M`}
            onChange={(e) => setForm({ ...form, groupWindow: e.currentTarget.value })}
          />
        </Group>
        <Checkbox.Group
          label="Critical rules"
          description="Never held by quiet hours; escalated to on-call when nobody acknowledges them"
          value={form.criticalRules}
          error={errors.criticalRules}
          onChange={(criticalRules) => setForm({ ...form, criticalRules })}
        >
          <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} mt="xs">
            {RULES.map((rule) => (
              <Checkbox key={rule.id} value={rule.id} label={rule.title} disabled={!editable} />
            ))}
          </SimpleGrid>
        </Checkbox.Group>
        {editable ? (
          <Group>
            <Button type="submit" loading={save.isPending}>
              Save
            </Button>
          </Group>
        ) : (
          <Text size="sm" c="dimmed">
            Provider admins and the group's managers change these.
          </Text>
        )}
      </Stack>
    </form>
  );
}
