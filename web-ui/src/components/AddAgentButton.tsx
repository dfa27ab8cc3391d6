import { ActionIcon, Alert, Button, Code, CopyButton, Group, Loader, Modal, Stack, Text, Tooltip } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { createEnrolmentToken } from '../api/agents';
import { fetchPractice } from '../api/practices';
import type { EnrolmentToken } from '../api/types';
import { formatAbsolute } from '../lib/time';
import { practiceKeys } from '../api/queryKeys';

/** How often the open dialog looks for the new agent. */
const WATCH_MS = 3000;

/**
 * "Add an agent": a single-use enrolment token for the practice, shown once. Closing the modal
 * forgets it; the server keeps only a hash, so it cannot be shown again.
 */
export function AddAgentButton({
  practiceId,
  practiceName,
  openAtOnce = false,
}: {
  practiceId: string;
  practiceName: string;
  /** Create the token as soon as the button shows (a practice just added, to enrol next). */
  openAtOnce?: boolean;
}) {
  const create = useMutation({ mutationFn: () => createEnrolmentToken(practiceId, 24) });
  const { mutate } = create;
  // once, when the page opens with it: StrictMode runs effects twice and each run would mint a token
  const openedAtOnce = useRef(false);
  useEffect(() => {
    if (!openAtOnce || openedAtOnce.current) return;
    openedAtOnce.current = true;
    mutate();
  }, [openAtOnce, mutate]);

  return (
    <Stack gap={4} align="flex-end">
      <Button
        size="xs"
        variant="light"
        onClick={() => create.mutate()}
        loading={create.isPending}
        data-testid="add-agent-button"
      >
        Add an agent
      </Button>
      {create.isError && (
        <Alert color="red" title="Could not create an enrolment token" role="alert" maw={360}>
          {create.error.message}
        </Alert>
      )}
      <Modal
        opened={create.isSuccess}
        onClose={() => create.reset()}
        title={`Add an agent to ${practiceName}`}
        size="lg"
        closeOnClickOutside={false}
      >
        {create.data && <TokenDetails token={create.data} />}
        {create.data && <NewAgentWatch practiceId={practiceId} token={create.data} />}
        <Group justify="flex-end" mt="md">
          <Button onClick={() => create.reset()}>I have copied it</Button>
        </Group>
      </Modal>
    </Stack>
  );
}

function TokenDetails({ token }: { token: EnrolmentToken }) {
  return (
    <Stack gap="sm">
      <Alert color="yellow" title="Shown only once">
        This token works once: it enrols one agent and expires{' '}
        <time dateTime={token.expiresAt} data-testid="enrolment-expiry">
          {formatAbsolute(token.expiresAt)}
        </time>
        . Copy it now; it cannot be shown again.
      </Alert>
      <Text fw={500}>Linux server: run this as root</Text>
      <Copyable value={token.installCommandLinux} label="Copy Linux command" testId="enrolment-command" />
      <Text fw={500}>Windows server: run this in an elevated PowerShell</Text>
      <Copyable value={token.installCommandWindows} label="Copy Windows command" testId="enrolment-command-windows" />
      <Text fw={500}>Or just the token:</Text>
      <Copyable value={token.token} label="Copy token" testId="enrolment-token" />
    </Stack>
  );
}

/** Watches the practice while the dialog is open, and says when the agent the token was for has enrolled. */
function NewAgentWatch({ practiceId, token }: { practiceId: string; token: EnrolmentToken }) {
  // the token's validity is 24 h, so it was created 24 h before it expires (the server's clock, not the browser's)
  const createdAt = Date.parse(token.expiresAt) - 24 * 3600_000;
  const practice = useQuery({
    queryKey: practiceKeys.detail(practiceId),
    queryFn: ({ signal }) => fetchPractice(practiceId, signal),
    refetchInterval: WATCH_MS,
  });
  const enrolled = (practice.data?.agents ?? []).filter(
    (a) => Date.parse(a.enrolledAt) >= createdAt - 60_000 && !a.revoked,
  );
  return (
    <Alert
      color={enrolled.length > 0 ? 'green' : 'blue'}
      mt="md"
      role="status"
      aria-live="polite"
      data-testid="agent-watch"
    >
      {enrolled.length > 0 ? (
        <Text>✓ {enrolled.map((a) => a.hostname).join(', ')} enrolled. Its first report arrives within a minute.</Text>
      ) : (
        <Group gap="sm">
          <Loader size="xs" aria-hidden />
          <Text>Waiting for the agent to enrol: run the command on the practice's server.</Text>
        </Group>
      )}
    </Alert>
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
