import { Alert, Button, Group, Modal, Select, Stack, TextInput, Textarea } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { addContact, addException, recordPlanReview } from '../api/practices';
import { fieldErrorsOf } from '../lib/fieldErrors';
import { RULES } from '../lib/rules';
import { useRefreshPractice } from '../lib/useRefreshPractice';

/** A dialog with one form: the server's refusal under each field, its message on top, nothing lost on error. */
function FormDialog({
  title,
  opened,
  onClose,
  onSubmit,
  submitting,
  error,
  submitLabel,
  children,
}: {
  title: string;
  opened: boolean;
  onClose: () => void;
  onSubmit: () => void;
  submitting: boolean;
  error: unknown;
  submitLabel: string;
  children: ReactNode;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title={title}>
      <form
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          onSubmit();
        }}
      >
        <Stack gap="sm">
          {error instanceof Error && (
            <Alert color="red" role="alert">
              {error.message}
            </Alert>
          )}
          {children}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={submitting}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function AddContactButton({ practiceId }: { practiceId: string }) {
  const [opened, setOpened] = useState(false);
  const [contact, setContact] = useState({ name: '', email: '', role: 'PRACTICE_MANAGER' });
  const refresh = useRefreshPractice(practiceId);
  const add = useMutation({
    mutationFn: () => addContact(practiceId, contact),
    onSuccess: async () => {
      await refresh();
      setOpened(false);
      setContact({ name: '', email: '', role: 'PRACTICE_MANAGER' });
    },
  });
  const errors = fieldErrorsOf(add.error);
  return (
    <>
      <Button size="xs" variant="light" onClick={() => setOpened(true)} data-testid="add-contact-button">
        Add a contact
      </Button>
      <FormDialog
        title="Add a contact"
        opened={opened}
        onClose={() => setOpened(false)}
        onSubmit={() => add.mutate()}
        submitting={add.isPending}
        error={add.error}
        submitLabel="Add"
      >
        <TextInput
          label="Name"
          value={contact.name}
          error={errors.name}
          data-autofocus
          onChange={(e) => setContact({ ...contact, name: e.currentTarget.value })}
        />
        <TextInput
          label="Email"
          inputMode="email"
          value={contact.email}
          error={errors.email}
          onChange={(e) => setContact({ ...contact, email: e.currentTarget.value })}
        />
        <Select
          label="Role"
          value={contact.role}
          error={errors.role}
          allowDeselect={false}
          data={[
            { value: 'PRACTICE_MANAGER', label: 'Practice manager' },
            { value: 'IT_CONTACT', label: 'IT contact' },
          ]}
          onChange={(role) => role && setContact({ ...contact, role })}
        />
      </FormDialog>
    </>
  );
}

export function AddExceptionButton({ practiceId }: { practiceId: string }) {
  const [opened, setOpened] = useState(false);
  const blank = { ruleId: null, reason: '', approvedBy: '', until: '' };
  const [exception, setException] = useState<{
    ruleId: string | null;
    reason: string;
    approvedBy: string;
    until: string;
  }>(blank);
  const refresh = useRefreshPractice(practiceId);
  const add = useMutation({
    mutationFn: () => addException(practiceId, exception),
    onSuccess: async () => {
      await refresh();
      setOpened(false);
      setException(blank);
    },
  });
  const errors = fieldErrorsOf(add.error);
  return (
    <>
      <Button size="xs" variant="light" onClick={() => setOpened(true)} data-testid="add-exception-button">
        Add an exception
      </Button>
      <FormDialog
        title="Add an exception to the policy"
        opened={opened}
        onClose={() => setOpened(false)}
        onSubmit={() => add.mutate()}
        submitting={add.isPending}
        error={add.error}
        submitLabel="Add the exception"
      >
        <Select
          label="Rule"
          placeholder="Which rule does not apply"
          value={exception.ruleId}
          error={errors.ruleId}
          data={RULES.map((r) => ({ value: r.id, label: r.title }))}
          onChange={(ruleId) => setException({ ...exception, ruleId })}
        />
        <Textarea
          label="Why"
          value={exception.reason}
          error={errors.reason}
          rows={2}
          onChange={(e) => setException({ ...exception, reason: e.currentTarget.value })}
        />
        <TextInput
          label="Approved by"
          value={exception.approvedBy}
          error={errors.approvedBy}
          onChange={(e) => setException({ ...exception, approvedBy: e.currentTarget.value })}
        />
        <TextInput
          label="Until (inclusive)"
          type="date"
          value={exception.until}
          error={errors.until}
          onChange={(e) => setException({ ...exception, until: e.currentTarget.value })}
        />
      </FormDialog>
    </>
  );
}

/** Today in the person's own time zone, as a date input wants it. */
function localToday(): string {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
}

export function RecordReviewButton({ practiceId, me }: { practiceId: string; me: string }) {
  const [opened, setOpened] = useState(false);
  const today = localToday();
  const blank = { reviewedBy: me, reviewedAt: today, note: '', documentUrl: '' };
  const [review, setReview] = useState(blank);
  const refresh = useRefreshPractice(practiceId);
  const record = useMutation({
    mutationFn: () => recordPlanReview(practiceId, review),
    onSuccess: async () => {
      await refresh();
      setOpened(false);
      setReview(blank);
    },
  });
  const errors = fieldErrorsOf(record.error);
  return (
    <>
      <Button size="xs" variant="light" onClick={() => setOpened(true)} data-testid="record-review-button">
        Record a review
      </Button>
      <FormDialog
        title="Record a review of the backup plan"
        opened={opened}
        onClose={() => setOpened(false)}
        onSubmit={() => record.mutate()}
        submitting={record.isPending}
        error={record.error}
        submitLabel="Record"
      >
        <TextInput
          label="Reviewed by"
          value={review.reviewedBy}
          error={errors.reviewedBy}
          onChange={(e) => setReview({ ...review, reviewedBy: e.currentTarget.value })}
        />
        <TextInput
          label="Reviewed on"
          type="date"
          value={review.reviewedAt}
          max={today}
          error={errors.reviewedAt}
          onChange={(e) => setReview({ ...review, reviewedAt: e.currentTarget.value })}
        />
        <Textarea
          label="Note"
          value={review.note}
          error={errors.note}
          rows={2}
          onChange={(e) => setReview({ ...review, note: e.currentTarget.value })}
        />
        <TextInput
          label="Link to the reviewed document (optional)"
          value={review.documentUrl}
          error={errors.documentUrl}
          onChange={(e) => setReview({ ...review, documentUrl: e.currentTarget.value })}
        />
      </FormDialog>
    </>
  );
}
