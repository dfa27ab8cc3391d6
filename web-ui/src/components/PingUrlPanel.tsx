import { ActionIcon, Alert, Button, Code, CopyButton, Group, Stack, Text, Title, Tooltip } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { fetchPingUrl, revokePingUrl, rotatePingUrl } from '../api/pings';
import { formatDurationWords } from '../lib/durationWords';
import { ErrorState, LoadingState } from './QueryStates';
import { practiceKeys } from '../api/queryKeys';

/**
 * A reported-job check's healthchecks-style ping URL, for provider admins only: the URL (a secret) with copyable
 * examples for cron (curl), borgmatic and a Windows scheduled task (PowerShell), and buttons to create, rotate or revoke it.
 */
export function PingUrlPanel({ practiceId, checkId }: { practiceId: string; checkId: string }) {
  const queryClient = useQueryClient();
  const key = practiceKeys.pingUrl(practiceId, checkId);
  const ping = useQuery({ queryKey: key, queryFn: ({ signal }) => fetchPingUrl(practiceId, checkId, signal) });
  const changed = (view: unknown) => queryClient.setQueryData(key, view);
  const rotate = useMutation({ mutationFn: () => rotatePingUrl(practiceId, checkId), onSuccess: changed });
  const revoke = useMutation({ mutationFn: () => revokePingUrl(practiceId, checkId), onSuccess: changed });

  if (ping.isPending) return <LoadingState label="Loading the ping URL…" />;
  if (ping.isError)
    return <ErrorState title="Could not load the ping URL" error={ping.error} onRetry={() => void ping.refetch()} />;
  const view = ping.data;
  const failed = rotate.error ?? revoke.error;

  return (
    <Stack gap="xs" data-testid="ping-url-panel">
      <Title order={4}>Ping URL of {checkId}</Title>
      {failed && (
        <Alert color="red" title="Nothing was changed" role="alert">
          {failed.message}
        </Alert>
      )}
      {!view.live || !view.pingUrl || !view.examples ? (
        <>
          <Text size="sm">
            The job can report itself with a healthchecks.io-style ping URL: its start, then its success or failure with
            its log. A start with no finish within {formatDurationWords(view.maxRunTimeSeconds)} (the check's
            maxRunTime) is reported as a hung job. While the URL exists, the practice's agents do not run this check.
          </Text>
          <Group>
            <Button size="xs" onClick={() => rotate.mutate()} loading={rotate.isPending}>
              Create a ping URL
            </Button>
          </Group>
        </>
      ) : (
        <>
          <Text size="sm">
            Keep it secret: anyone with the URL can report this job. A start with no finish within{' '}
            {formatDurationWords(view.maxRunTimeSeconds)} is a hung job. At most 10 pings a minute; more get 429.
          </Text>
          <Copyable label="Copy the ping URL" value={view.pingUrl} testId="ping-url" />
          <Text size="sm" fw={500}>
            cron (curl)
          </Text>
          <Copyable label="Copy the cron example" value={view.examples.cron} testId="ping-example-cron" />
          <Text size="sm" fw={500}>
            borgmatic
          </Text>
          <Copyable
            label="Copy the borgmatic example"
            value={view.examples.borgmatic}
            testId="ping-example-borgmatic"
          />
          <Text size="sm" fw={500}>
            Windows scheduled task (PowerShell)
          </Text>
          <Copyable
            label="Copy the PowerShell example"
            value={view.examples.powershell}
            testId="ping-example-powershell"
          />
          <Group>
            <Button size="xs" variant="default" onClick={() => rotate.mutate()} loading={rotate.isPending}>
              Rotate (the old URL stops working)
            </Button>
            <Button size="xs" variant="subtle" color="red" onClick={() => revoke.mutate()} loading={revoke.isPending}>
              Revoke
            </Button>
          </Group>
        </>
      )}
    </Stack>
  );
}

function Copyable({ value, label, testId }: { value: string; label: string; testId: string }) {
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start">
      <Code block style={{ flex: 1, overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }} data-testid={testId}>
        {value}
      </Code>
      <CopyButton value={value}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? 'Copied' : label} withArrow>
            <ActionIcon
              variant={copied ? 'filled' : 'default'}
              color={copied ? 'teal' : undefined}
              onClick={copy}
              aria-label={label}
              size="lg"
            >
              <span aria-hidden>{copied ? '✓' : '⧉'}</span>
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}
