import { Alert, Button, Checkbox, Group, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { CheckCatalogue, CheckInput } from '../api/types';
import { type CheckForm, kindLabel, settingTypes, toCheckInput } from '../lib/checkForm';
import { fieldErrorsOf } from '../lib/fieldErrors';
import { thresholdLabel } from '../lib/policyForm';

/**
 * One check's form: id, kind, how often in words ("15 minutes") and the kind's settings, durations in words
 * ("26 hours"). What the browser cannot read is shown under its field; the server checks everything else and its
 * refusals show under the field it names.
 */
export function CheckEditor({
  catalogue,
  initial,
  idFixed,
  submitLabel,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  catalogue: CheckCatalogue;
  initial: CheckForm;
  idFixed: boolean;
  submitLabel: string;
  pending: boolean;
  error: Error | null;
  onSubmit: (input: CheckInput) => void;
  onCancel: () => void;
}) {
  const [form, setForm] = useState<CheckForm>(initial);
  const [local, setLocal] = useState<Record<string, string>>({});
  const types = settingTypes(catalogue, form.kind);
  const server = fieldErrorsOf(error);
  const errorOf = (field: string) => local[field] ?? server[field];
  const kindSettings = catalogue.kinds.find((k) => k.kind === form.kind)?.settings ?? [];
  const unplaced =
    error &&
    Object.keys(server).filter(
      (f) => !['checkId', 'kind', 'intervalSeconds'].includes(f) && !f.startsWith('settings.'),
    );

  return (
    <form
      aria-label={submitLabel}
      onSubmit={(event) => {
        event.preventDefault();
        const result = toCheckInput(form, types);
        if (!result.ok) {
          setLocal(result.errors);
          return;
        }
        setLocal({});
        onSubmit(result.input);
      }}
    >
      <Stack gap="sm">
        {error && (
          <Alert color="red" title="Nothing was changed" role="alert" data-testid="check-error">
            {error.message}
            {unplaced?.map((f) => (
              <Text key={f} size="sm">
                {f}: {server[f]}
              </Text>
            ))}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput
            label="Check id"
            description="e.g. cloud-copy; an id that starts with a rule's id gives evidence for that rule"
            value={form.checkId}
            readOnly={idFixed}
            error={errorOf('checkId')}
            onChange={(event) => setForm({ ...form, checkId: event.currentTarget.value })}
          />
          <Select
            label="Kind"
            data={catalogue.kinds.map((k) => ({ value: k.kind, label: kindLabel(k.kind) }))}
            value={form.kind || null}
            error={errorOf('kind')}
            onChange={(kind) => setForm({ ...form, kind: kind ?? '', settings: {} })}
            allowDeselect={false}
          />
          <TextInput
            label="How often"
            description="e.g. 15 minutes, 1 hour, 1 day"
            value={form.interval}
            error={errorOf('intervalSeconds')}
            onChange={(event) => setForm({ ...form, interval: event.currentTarget.value })}
          />
        </SimpleGrid>
        {kindSettings.length > 0 && (
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            {kindSettings.map((setting) =>
              setting.type === 'boolean' ? (
                <Checkbox
                  key={setting.name}
                  mt="lg"
                  label={thresholdLabel(setting.name)}
                  checked={form.settings[setting.name] === true}
                  error={errorOf(`settings.${setting.name}`)}
                  onChange={(event) =>
                    setForm({ ...form, settings: { ...form.settings, [setting.name]: event.currentTarget.checked } })
                  }
                />
              ) : (
                <TextInput
                  key={setting.name}
                  label={thresholdLabel(setting.name)}
                  placeholder={
                    setting.type === 'duration'
                      ? 'e.g. 26 hours (empty: as the policy sets)'
                      : 'empty: as the policy sets'
                  }
                  value={String(form.settings[setting.name] ?? '')}
                  error={errorOf(`settings.${setting.name}`)}
                  onChange={(event) =>
                    setForm({ ...form, settings: { ...form.settings, [setting.name]: event.currentTarget.value } })
                  }
                />
              ),
            )}
          </SimpleGrid>
        )}
        <Group>
          <Button type="submit" loading={pending}>
            {submitLabel}
          </Button>
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
