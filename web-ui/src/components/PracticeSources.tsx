import { Alert, Button, Group, Modal, PasswordInput, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { fetchPracticeSources, forgetSealedSecret, saveCheckSources, saveSealedSecret } from '../api/sources';
import type { CheckSources, PracticeSources as Sources } from '../api/types';
import { fieldErrorsOf } from '../lib/fieldErrors';
import { sealForAll } from '../lib/sealing';
import { ErrorState, LoadingState } from './QueryStates';
import { practiceKeys } from '../api/queryKeys';

/** What each setting is, in the words of the person at the practice's server; the keys of checks.properties. */
export const SETTING_LABELS: Record<string, string> = {
  path: 'Folder (absolute path)',
  'dump-path': 'Folder of database dumps',
  repository: 'Repository address',
  tool: 'Tool (restic or borg)',
  timeout: 'Time limit (e.g. 90 min)',
  'password-file': 'Password file on the server',
  engine: 'Database engine',
  primary: 'Primary database (host:port)',
  secondary: 'Secondary database (host:port)',
  database: 'Database name',
  user: 'Database user',
  ups: 'UPS name in upsd',
  host: 'upsd host',
  port: 'upsd port',
  username: 'upsd user',
  'self-test-window': 'Self-test window',
  scratch: 'Scratch folder for restores',
  'scratch-database': 'Scratch database server (host:port)',
  'maintenance-database': 'Maintenance database',
};

/** The settings each kind of check reads; a check the practice no longer runs shows every one. */
export const KIND_SETTINGS: Record<string, string[]> = {
  BACKUP_FOLDER: ['path', 'dump-path'],
  USB_ROTATION: ['path'],
  RESTIC_REPOSITORY: ['repository', 'timeout', 'password-file'],
  BORG_REPOSITORY: ['repository', 'timeout', 'password-file'],
  DATABASE_SYNC: ['primary', 'secondary', 'database', 'user', 'engine', 'timeout', 'password-file'],
  UPS: ['ups', 'host', 'port', 'username', 'self-test-window', 'password-file'],
  RESTORE_TEST: ['scratch', 'scratch-database', 'maintenance-database', 'user', 'timeout', 'password-file'],
  REPORTED_JOB: [],
};

/** The words for a secret's state: never its value. */
export function secretWords(check: CheckSources, agentNames: Record<string, string>): string {
  const secret = check.secrets.find((s) => s.name === 'password');
  if (!secret) return 'not set here (the server\u2019s own password file, if any)';
  const sealed = `set, sealed for ${secret.sealedForAgents} agent${secret.sealedForAgents === 1 ? '' : 's'}`;
  if (secret.agentsWithout.length === 0) return sealed;
  const names = secret.agentsWithout.map((id) => agentNames[id] ?? id).join(', ');
  return `${sealed}; ${names} cannot open it: re-enter it to seal it for the new agent`;
}

/** Where the practice's backups are, per check; the practice's own checks.properties still wins. */
export function PracticeSources({ practiceId, mayEdit }: { practiceId: string; mayEdit: boolean }) {
  const [editing, setEditing] = useState<CheckSources | null>(null);
  const sources = useQuery({
    queryKey: practiceKeys.sources(practiceId),
    queryFn: ({ signal }) => fetchPracticeSources(practiceId, signal),
  });
  if (sources.isPending) return <LoadingState label="Loading sources…" />;
  if (sources.isError)
    return (
      <ErrorState title="Could not load the sources" error={sources.error} onRetry={() => void sources.refetch()} />
    );
  const agentNames = Object.fromEntries((sources.data.agents ?? []).map((a) => [a.agentId, a.hostname]));
  if (!sources.data.checks || sources.data.checks.length === 0)
    return <Text c="dimmed">This practice runs no checks yet.</Text>;
  return (
    <>
      <Text size="sm" c="dimmed" mb="xs">
        Set here for the practice; a setting in checks.properties on the practice&apos;s server wins. Passwords are
        sealed in this browser to each agent&apos;s own key: Rampart stores them but can never read them.
      </Text>
      <Table verticalSpacing="xs" aria-labelledby="sources-heading">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Check</Table.Th>
            <Table.Th scope="col">Where</Table.Th>
            <Table.Th scope="col">Password</Table.Th>
            {mayEdit && <Table.Th scope="col">Action</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sources.data.checks.map((check) => (
            <Table.Tr key={check.checkId} data-testid="source-row">
              <Table.Th scope="row" fw={500}>
                {check.checkId}
                {check.kind === null && (
                  <Text size="xs" c="dimmed">
                    not a check of this practice now
                  </Text>
                )}
              </Table.Th>
              <Table.Td>
                {Object.keys(check.settings).length === 0 ? (
                  <Text size="sm" c="dimmed">
                    only checks.properties
                  </Text>
                ) : (
                  Object.entries(check.settings).map(([key, value]) => (
                    <Text size="sm" key={key}>
                      {SETTING_LABELS[key] ?? key}: <code>{value}</code>
                    </Text>
                  ))
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm" c={check.secrets.some((s) => s.agentsWithout.length > 0) ? 'orange.8' : undefined}>
                  {secretWords(check, agentNames)}
                </Text>
              </Table.Td>
              {mayEdit && (
                <Table.Td>
                  <Button
                    size="xs"
                    variant="subtle"
                    onClick={() => setEditing(check)}
                    aria-label={`Edit the sources of ${check.checkId}`}
                  >
                    Edit
                  </Button>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {editing && (
        <EditSourcesDialog
          practiceId={practiceId}
          check={editing}
          sources={sources.data}
          onClose={() => setEditing(null)}
        />
      )}
    </>
  );
}

function EditSourcesDialog({
  practiceId,
  check,
  sources,
  onClose,
}: {
  practiceId: string;
  check: CheckSources;
  sources: Sources;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const keys: string[] = (check.kind && KIND_SETTINGS[check.kind]) || sources.settingKeys;
  const [settings, setSettings] = useState<Record<string, string>>({ ...check.settings });
  const [password, setPassword] = useState('');
  const save = useMutation({
    mutationFn: async () => {
      const cleaned = Object.fromEntries(Object.entries(settings).filter(([, v]) => v.trim() !== ''));
      let answer = await saveCheckSources(practiceId, check.checkId, cleaned);
      if (password !== '') {
        // sealed here, for each agent; only the ciphertexts are sent
        const sealed = await sealForAll(sources.agents, check.checkId, 'password', password);
        answer = await saveSealedSecret(practiceId, check.checkId, 'password', sealed);
      }
      return answer;
    },
    onSuccess: (answer) => {
      queryClient.setQueryData(practiceKeys.sources(practiceId), answer);
      setPassword('');
      onClose();
    },
  });
  const forget = useMutation({
    mutationFn: () => forgetSealedSecret(practiceId, check.checkId, 'password'),
    onSuccess: (answer) => {
      queryClient.setQueryData(practiceKeys.sources(practiceId), answer);
      onClose();
    },
  });
  const errors = fieldErrorsOf(save.error);
  const hasSecret = check.secrets.some((s) => s.name === 'password');
  const noKeys = sources.agents.length === 0;
  return (
    <Modal opened onClose={onClose} title={`Sources of ${check.checkId}`}>
      <form
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          save.mutate();
        }}
      >
        <Stack gap="sm">
          {save.error instanceof Error && (
            <Alert color="red" role="alert">
              {save.error.message}
            </Alert>
          )}
          {keys.map((key) => (
            <TextInput
              key={key}
              label={SETTING_LABELS[key] ?? key}
              description={`check.${check.checkId}.${key}`}
              value={settings[key] ?? ''}
              error={errors[`settings.${key}`]}
              onChange={(e) => setSettings({ ...settings, [key]: e.currentTarget.value })}
            />
          ))}
          {keys.includes('password-file') && (
            <PasswordInput
              label="Password"
              autoComplete="new-password"
              value={password}
              disabled={noKeys}
              error={errors['sealed'] ?? errors['sealed[0].agentId'] ?? errors['sealed[0].keyId']}
              description={
                noKeys
                  ? 'No agent of this practice has a key yet: enrol one first, or keep the password in a file on the server.'
                  : `Sealed in this browser for each of the practice's ${sources.agents.length} agent${sources.agents.length === 1 ? '' : 's'}; Rampart never sees it. ${hasSecret ? 'Leave empty to keep the current one.' : ''}`
              }
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
          )}
          <Group justify="space-between">
            {hasSecret ? (
              <Button variant="subtle" color="red" onClick={() => forget.mutate()} loading={forget.isPending}>
                Forget the password
              </Button>
            ) : (
              <span />
            )}
            <Group>
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" loading={save.isPending}>
                Save
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
