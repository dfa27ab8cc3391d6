import { Alert, Button, Group, Modal, Select, Stack, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { addPractice } from '../api/tenancy';

const MAX_NAME = 200;

/**
 * "Add a practice" (provider admins): names it in one of the groups, then opens its page with
 * the enrolment command ready, so that the agent can be installed straight away.
 */
export function AddPracticeButton({ groups }: { groups: { id: string; name: string }[] }) {
  const navigate = useNavigate();
  const [opened, setOpened] = useState(false);
  const [picked, setPicked] = useState<string | null>(null);
  // the groups arrive with the fleet and can change while the page is open: a group no longer listed is no choice
  const groupId = picked && groups.some((g) => g.id === picked) ? picked : (groups[0]?.id ?? null);
  const [name, setName] = useState('');
  const [touched, setTouched] = useState(false);
  const add = useMutation({
    mutationFn: () => addPractice(groupId!, name.trim()),
    onSuccess: (practice) => navigate(`/practices/${encodeURIComponent(practice.id)}?enrol=1`),
  });
  const nameError = !name.trim()
    ? 'Give the practice a name'
    : name.trim().length > MAX_NAME
      ? `At most ${MAX_NAME} characters`
      : null;
  return (
    <>
      <Button variant="light" onClick={() => setOpened(true)} data-testid="add-practice-button">
        Add a practice
      </Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title="Add a practice">
        <form
          onSubmit={(event) => {
            event.preventDefault();
            setTouched(true);
            if (!nameError && groupId) add.mutate();
          }}
        >
          <Stack gap="sm">
            <Select
              label="Group"
              data={groups.map((g) => ({ value: g.id, label: g.name }))}
              value={groupId}
              onChange={setPicked}
              allowDeselect={false}
            />
            <TextInput
              label="Practice name"
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
              error={touched ? nameError : undefined}
              data-autofocus
            />
            {add.isError && (
              <Alert color="red" title="The practice was not added" role="alert">
                {add.error.message}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpened(false)}>
                Cancel
              </Button>
              <Button type="submit" loading={add.isPending}>
                Add and enrol its agent
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
