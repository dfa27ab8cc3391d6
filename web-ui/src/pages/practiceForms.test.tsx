import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppRoutes } from '../App';
import type { Me } from '../api/types';
import { practiceManager, providerAdmin, stubApi } from '../test/api';
import { practiceFixture, practiceSideCalls } from '../test/fixtures';
import { renderWithProviders } from '../test/render';

afterEach(() => vi.unstubAllGlobals());

const groupManager: Me = {
  ...providerAdmin,
  username: 'grace',
  name: 'Grace Okafor',
  role: 'group-manager',
  groupId: 'g-city',
};

function stubPractice(me: Me, write: (url: string, body: Record<string, string>) => Response) {
  return stubApi(
    (url, init) => {
      if (init.method === 'POST' || init.method === 'DELETE')
        return write(url, init.body ? JSON.parse(String(init.body)) : {});
      return practiceSideCalls(url) ?? Response.json(practiceFixture);
    },
    { me },
  );
}

async function openPractice(me: Me) {
  renderWithProviders(<AppRoutes />, { route: '/practices/p-oak' });
  await screen.findByRole('heading', { level: 1, name: 'Oak Street Surgery' });
  await waitFor(() => expect(screen.getByTestId('signed-in-user').dataset.role).toBe(me.role));
}

describe('changing a practice', () => {
  it('adds a contact: a refused address is shown under its field and nothing typed is lost', async () => {
    const api = stubPractice(providerAdmin, (_url, body) =>
      body.email === 'nope'
        ? Response.json(
            {
              status: 400,
              detail: 'The contact is invalid; nothing was added',
              errors: [{ field: 'email', message: 'an email address like it-team@example.com' }],
            },
            { status: 400 },
          )
        : Response.json({ id: 'c-2', groupId: 'g-city', practiceId: 'p-oak', ...body }, { status: 201 }),
    );
    await openPractice(providerAdmin);
    fireEvent.click(await screen.findByTestId('add-contact-button'));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('Name'), { target: { value: 'Dr Oak' } });
    fireEvent.change(within(dialog).getByLabelText('Email'), { target: { value: 'nope' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add' }));
    expect(await within(dialog).findByText('an email address like it-team@example.com')).toBeTruthy();
    expect(within(dialog).getByRole('alert').textContent).toContain('nothing was added');
    expect((within(dialog).getByLabelText('Name') as HTMLInputElement).value).toBe('Dr Oak');

    fireEvent.change(within(dialog).getByLabelText('Email'), { target: { value: 'dr.oak@oak.example' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const posts = api.calls().filter(([, init]) => init.method === 'POST');
    expect(posts.map(([url]) => url)).toEqual(['/api/practices/p-oak/contacts', '/api/practices/p-oak/contacts']);
    expect(JSON.parse(String(posts[1]![1].body))).toEqual({
      name: 'Dr Oak',
      email: 'dr.oak@oak.example',
      role: 'PRACTICE_MANAGER',
    });
  });

  it('lets a group manager add an exception and record a plan review', async () => {
    const api = stubPractice(groupManager, (_url, body) => Response.json({ id: 'x', ...body }, { status: 201 }));
    await openPractice(groupManager);

    fireEvent.click(await screen.findByTestId('add-exception-button'));
    let dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('Why'), { target: { value: 'the UPS is being replaced' } });
    fireEvent.change(within(dialog).getByLabelText('Approved by'), { target: { value: 'Grace Okafor' } });
    fireEvent.change(within(dialog).getByLabelText('Until (inclusive)'), { target: { value: '2026-12-31' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add the exception' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    fireEvent.click(screen.getByTestId('record-review-button'));
    dialog = await screen.findByRole('dialog');
    expect((within(dialog).getByLabelText('Reviewed by') as HTMLInputElement).value).toBe('Grace Okafor');
    fireEvent.change(within(dialog).getByLabelText('Note'), {
      target: { value: 'procedure matches what the practice does' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Record' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    const posts = api.calls().filter(([, init]) => init.method === 'POST');
    expect(posts.map(([url]) => url)).toEqual(['/api/practices/p-oak/exceptions', '/api/practices/p-oak/plan-reviews']);
    expect(JSON.parse(String(posts[0]![1].body))).toEqual({
      ruleId: null,
      reason: 'the UPS is being replaced',
      approvedBy: 'Grace Okafor',
      until: '2026-12-31',
    });
    expect(JSON.parse(String(posts[1]![1].body))).toMatchObject({
      reviewedBy: 'Grace Okafor',
      note: 'procedure matches what the practice does',
    });
  });

  it('offers a practice manager none of it', async () => {
    stubPractice(practiceManager, () => new Response(null, { status: 500 }));
    await openPractice(practiceManager);
    await screen.findByTestId('contact-row');
    for (const id of ['add-contact-button', 'add-exception-button', 'record-review-button'])
      expect(screen.queryByTestId(id)).toBeNull();
  });
});
