import { Alert, Button, Group, List, Modal, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import {
  addPractice,
  archiveGroup,
  changeGroup,
  createGroup,
  decommissionPractice,
  movePractice,
  renamePractice,
} from '../api/tenancy';
import { fieldErrorsOf } from '../lib/fieldErrors';
import {
  archiveBlocker,
  decommissionConsequences,
  type GroupRow,
  moveTargets,
  nameProblem,
  type TenancyGroup,
  type TenancyPractice,
  timeZones,
} from '../lib/tenancy';

/** What the admin is doing on the groups and practices page; null when no dialog is open. */
export type TenancyAction =
  | { kind: 'new-group' }
  | { kind: 'edit-group'; group: TenancyGroup }
  | { kind: 'archive-group'; row: GroupRow }
  | { kind: 'unarchive-group'; group: TenancyGroup }
  | { kind: 'add-practice'; group: TenancyGroup }
  | { kind: 'rename-practice'; practice: TenancyPractice }
  | { kind: 'move-practice'; practice: TenancyPractice }
  | { kind: 'decommission-practice'; practice: TenancyPractice };

/** Every change refreshes what other pages show of the tenancy too (fleet, groups in pickers). */
function useChange<T>(fn: () => Promise<T>, onDone: () => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async () => {
      await client.invalidateQueries();
      onDone();
    },
  });
}

function Refusal({ error, title }: { error: Error | null; title: string }) {
  if (!error) return null;
  const fields = fieldErrorsOf(error);
  // a field's error shows under the field; the rest (a 409 naming the practices, a 404) here
  if (Object.keys(fields).some((f) => f === 'name' || f === 'timeZone' || f === 'groupId')) return null;
  return (
    <Alert color="red" title={title} role="alert">
      {error.message}
    </Alert>
  );
}

function Buttons({
  onClose,
  label,
  pending,
  color,
}: {
  onClose: () => void;
  label: string;
  pending: boolean;
  color?: string;
}) {
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onClose}>
        Cancel
      </Button>
      <Button type="submit" loading={pending} color={color}>
        {label}
      </Button>
    </Group>
  );
}

function GroupForm({ group, onClose }: { group?: TenancyGroup; onClose: () => void }) {
  const [name, setName] = useState(group?.name ?? '');
  const [zone, setZone] = useState<string | null>(
    group?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC',
  );
  const [touched, setTouched] = useState(false);
  const save = useChange(
    () => (group ? changeGroup(group.id, name.trim(), zone ?? '') : createGroup(name.trim(), zone ?? '')),
    onClose,
  );
  const server = fieldErrorsOf(save.error);
  const problem = touched ? nameProblem(name) : null;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (!nameProblem(name) && zone) save.mutate();
      }}
    >
      <Stack gap="sm">
        <TextInput
          label="Group name"
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={problem ?? server.name}
          data-autofocus
        />
        <Select
          label="Time zone"
          description="Where the group's practices are: dates people type, quiet hours and digests follow it"
          data={timeZones()}
          value={zone}
          onChange={setZone}
          searchable
          allowDeselect={false}
          error={server.timeZone}
        />
        <Refusal error={save.error} title={group ? 'The group was not changed' : 'The group was not created'} />
        <Buttons onClose={onClose} label={group ? 'Save' : 'Create the group'} pending={save.isPending} />
      </Stack>
    </form>
  );
}

function NameForm({
  initial,
  label,
  submit,
  save: fn,
  onClose,
}: {
  initial: string;
  label: string;
  submit: string;
  save: (name: string) => Promise<unknown>;
  onClose: () => void;
}) {
  const [name, setName] = useState(initial);
  const [touched, setTouched] = useState(false);
  const save = useChange(() => fn(name.trim()), onClose);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (!nameProblem(name)) save.mutate();
      }}
    >
      <Stack gap="sm">
        <TextInput
          label={label}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={(touched ? nameProblem(name) : null) ?? fieldErrorsOf(save.error).name}
          data-autofocus
        />
        <Refusal error={save.error} title="Nothing was changed" />
        <Buttons onClose={onClose} label={submit} pending={save.isPending} />
      </Stack>
    </form>
  );
}

function MoveForm({
  practice,
  groups,
  onClose,
}: {
  practice: TenancyPractice;
  groups: TenancyGroup[];
  onClose: () => void;
}) {
  const targets = moveTargets(groups, practice);
  const [to, setTo] = useState<string | null>(targets[0]?.id ?? null);
  const move = useChange(() => movePractice(practice.id, to!), onClose);
  const fields = fieldErrorsOf(move.error);
  if (targets.length === 0) {
    return <Text>There is no other live group to move {practice.name} to. Create a group first.</Text>;
  }
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (to) move.mutate();
      }}
    >
      <Stack gap="sm">
        <Text size="sm">
          Its agents, open alerts, contacts, current exceptions and plan reviews move with it, and its agents get the
          new group's checks within seconds. Its history stays with the group it happened in.
        </Text>
        <Select
          label="Move to group"
          data={targets.map((g) => ({ value: g.id, label: g.name }))}
          value={to}
          onChange={setTo}
          allowDeselect={false}
          error={fields.groupId ?? fields.name}
        />
        <Refusal error={move.error} title="The practice was not moved" />
        <Buttons onClose={onClose} label="Move" pending={move.isPending} />
      </Stack>
    </form>
  );
}

function DecommissionForm({ practice, onClose }: { practice: TenancyPractice; onClose: () => void }) {
  const [reason, setReason] = useState('');
  const go = useChange(() => decommissionPractice(practice.id, reason.trim()), onClose);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        go.mutate();
      }}
    >
      <Stack gap="sm">
        <Text fw={500}>What happens when you decommission {practice.name}:</Text>
        <List size="sm" spacing="xs" data-testid="decommission-consequences">
          {decommissionConsequences(practice.name).map((line) => (
            <List.Item key={line}>{line}</List.Item>
          ))}
        </List>
        <Textarea
          label="Why (kept with the practice and in the audit log)"
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          maxLength={500}
        />
        <Refusal error={go.error} title="The practice was not decommissioned" />
        <Buttons onClose={onClose} label={`Decommission ${practice.name}`} pending={go.isPending} color="red" />
      </Stack>
    </form>
  );
}

function ArchiveForm({ row, onClose }: { row: GroupRow; onClose: () => void }) {
  const archive = useChange(() => archiveGroup(row.group.id, true), onClose);
  const blocker = archiveBlocker(row);
  if (blocker) {
    return (
      <Stack gap="sm">
        <Alert color="yellow" title="Not yet" role="alert">
          {blocker}
        </Alert>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Close
          </Button>
        </Group>
      </Stack>
    );
  }
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        archive.mutate();
      }}
    >
      <Stack gap="sm">
        <Text size="sm">
          {row.group.name} leaves the fleet, the daily digests and the reports; its history is kept and it can be
          un-archived later. While archived it takes no new practices and cannot be renamed.
        </Text>
        <Refusal error={archive.error} title="The group was not archived" />
        <Buttons onClose={onClose} label="Archive the group" pending={archive.isPending} color="red" />
      </Stack>
    </form>
  );
}

function UnarchiveForm({ group, onClose }: { group: TenancyGroup; onClose: () => void }) {
  const bring = useChange(() => archiveGroup(group.id, false), onClose);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        bring.mutate();
      }}
    >
      <Stack gap="sm">
        <Text size="sm">{group.name} comes back: new practices can be added to it and moved into it.</Text>
        {bring.error && (
          <Alert color="red" title="The group was not un-archived" role="alert">
            {fieldErrorsOf(bring.error).name ?? bring.error.message}
          </Alert>
        )}
        <Buttons onClose={onClose} label="Un-archive" pending={bring.isPending} />
      </Stack>
    </form>
  );
}

const TITLES: Record<TenancyAction['kind'], string> = {
  'new-group': 'New group',
  'edit-group': 'Rename the group or change its time zone',
  'archive-group': 'Archive the group',
  'unarchive-group': 'Un-archive the group',
  'add-practice': 'Add a practice',
  'rename-practice': 'Rename the practice',
  'move-practice': 'Move the practice to another group',
  'decommission-practice': 'Decommission the practice',
};

/** The one dialog of the page, for whichever action is under way. */
export function TenancyDialog({
  action,
  groups,
  onClose,
}: {
  action: TenancyAction | null;
  groups: TenancyGroup[];
  onClose: () => void;
}) {
  return (
    <Modal opened={action !== null} onClose={onClose} title={action ? TITLES[action.kind] : ''} size="lg">
      {action?.kind === 'new-group' && <GroupForm onClose={onClose} />}
      {action?.kind === 'edit-group' && <GroupForm group={action.group} onClose={onClose} />}
      {action?.kind === 'archive-group' && <ArchiveForm row={action.row} onClose={onClose} />}
      {action?.kind === 'unarchive-group' && <UnarchiveForm group={action.group} onClose={onClose} />}
      {action?.kind === 'add-practice' && (
        <NameForm
          initial=""
          label={`Practice name (in ${action.group.name})`}
          submit="Add the practice"
          save={(name) => addPractice(action.group.id, name)}
          onClose={onClose}
        />
      )}
      {action?.kind === 'rename-practice' && (
        <NameForm
          initial={action.practice.name}
          label="Practice name"
          submit="Rename"
          save={(name) => renamePractice(action.practice.id, name)}
          onClose={onClose}
        />
      )}
      {action?.kind === 'move-practice' && <MoveForm practice={action.practice} groups={groups} onClose={onClose} />}
      {action?.kind === 'decommission-practice' && <DecommissionForm practice={action.practice} onClose={onClose} />}
    </Modal>
  );
}
