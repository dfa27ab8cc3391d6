import { Alert, Button, Group, Modal, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { revokeAgent } from '../api/agents';
import type { Agent } from '../api/types';
import { fleetKeys, practiceKeys } from '../api/queryKeys';

/** Confirms, then POST /api/agents/{id}/revoke and a fresh look at the practice. */
export function RevokeAgentDialog({
  agent,
  practiceId,
  onClose,
}: {
  agent: Agent | null;
  practiceId: string;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: (agentId: string) => revokeAgent(agentId),
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: practiceKeys.of(practiceId) }),
        queryClient.invalidateQueries({ queryKey: fleetKeys.all }),
      ]);
      close();
    },
  });
  const close = () => {
    revoke.reset();
    onClose();
  };

  return (
    <Modal opened={agent !== null} onClose={close} title="Revoke agent">
      {agent && (
        <>
          <Text>
            Revoke the agent on <strong>{agent.hostname}</strong>? It will no longer be able to report, and this cannot
            be undone: to bring the host back, enrol it again with a new token.
          </Text>
          {revoke.isError && (
            <Alert color="red" title="Could not revoke the agent" role="alert" mt="md">
              {revoke.error.message}
            </Alert>
          )}
          <Group justify="flex-end" mt="lg">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button color="red" loading={revoke.isPending} onClick={() => revoke.mutate(agent.id)}>
              Revoke {agent.hostname}
            </Button>
          </Group>
        </>
      )}
    </Modal>
  );
}
