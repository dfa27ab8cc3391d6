import { ActionIcon, Alert, Button, Code, CopyButton, Group, Modal, Stack, Text, Tooltip } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { createEnrolmentToken } from '../api/client';
import type { EnrolmentToken } from '../api/types';
import { formatAbsolute } from '../lib/time';

/**
 * "Add an agent": a single-use enrolment token for the practice, shown once. Closing the modal
 * forgets it; the server keeps only a hash, so it cannot be shown again.
 */
export function AddAgentButton({ practiceId, practiceName }: { practiceId: string; practiceName: string }) {
  const create = useMutation({ mutationFn: () => createEnrolmentToken(practiceId, 24) });

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
