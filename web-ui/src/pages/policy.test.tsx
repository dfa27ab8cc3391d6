import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppRoutes } from '../App';
import type { Me, PolicyVersion } from '../api/types';
import { providerAdmin, stubApi } from '../test/api';
import { renderWithProviders } from '../test/render';

afterEach(() => vi.unstubAllGlobals());

const groupManager: Me = {
  ...providerAdmin,
  username: 'grace',
  name: 'Grace',
  role: 'group-manager',
  groupId: 'g-coast',
};

const policy: PolicyVersion = {
  groupId: 'g-coast',
  version: 3,
  changedBy: 'alice',
  changedAt: '2026-11-20T10:00:00Z',
  comment: 'weekend copies run late',
  document: {
    rules: {
      'nas-copy': { enabled: true, maxAge: 'PT26H' },
      ups: { enabled: true, selfTestEvery: 'P90D', minRuntime: 'PT10M' },
    },
  },
};

/** The API as it behaves: a saved version is the one read next. */
function stubPolicyApi(
  me: Me,
  put: (body: { document: PolicyVersion['document']; comment: string; basedOnVersion: number }) => Response,
) {
  let current = policy;
  return stubApi(
    async (url, init) => {
      if (url === '/api/groups') return Response.json([{ id: 'g-coast', providerId: 'prov-1', name: 'Coast Group' }]);
      if (url.endsWith('/policy/versions')) return Response.json([current]);
      if (init.method === 'PUT') {
        const answer = put(JSON.parse(String(init.body)));
        if (answer.ok) current = (await answer.clone().json()) as PolicyVersion;
        return answer;
      }
      return Response.json(current);
    },
    { me },
  );
}

describe('policy page', () => {
  it('shows a refused threshold under its field, then saves a valid change as a new version', async () => {
    const api = stubPolicyApi(providerAdmin, (body) =>
      body.document.rules.ups!.selfTestEvery === 'soon'
        ? Response.json(
            {
              title: 'Bad Request',
              status: 400,
              detail: 'The policy is invalid; nothing was changed',
              errors: [
                { field: 'document.rules.ups.selfTestEvery', message: 'a duration like P90D, between P1D and P365D' },
              ],
            },
            { status: 400 },
          )
        : Response.json({ ...policy, version: 4, document: body.document, comment: body.comment }),
    );
    renderWithProviders(<AppRoutes />, { route: '/policy' });
    const ups = await screen
      .findByText('Uninterruptible power supply')
      .then((title) => title.closest('[data-testid="policy-rule"]') as HTMLElement);
    await waitFor(() => expect(within(ups).getByLabelText('Self test every')).toHaveProperty('readOnly', false));
    expect(within(ups).getByLabelText('Self test every')).toHaveProperty('value', '90 days');
    expect(within(ups).getByLabelText('Min runtime')).toHaveProperty('value', '10 minutes');

    fireEvent.change(within(ups).getByLabelText('Self test every'), { target: { value: 'soon' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save as a new version' }));
    expect((await screen.findByTestId('policy-error')).textContent).toContain(
      'The policy is invalid; nothing was changed',
    );
    expect(within(ups).getByText('a duration like P90D, between P1D and P365D')).toBeTruthy();

    fireEvent.change(within(ups).getByLabelText('Self test every'), { target: { value: '60 days' } });
    fireEvent.change(screen.getByLabelText(/Why/), { target: { value: 'insurer asks for 60 days' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save as a new version' }));
    // the confirmation survives the editor showing the new version
    expect((await screen.findByTestId('policy-saved')).textContent).toContain('Saved as version 4');
    await waitFor(() => expect(screen.getByText(/Version 4 · changed by alice/)).toBeTruthy());
    expect(screen.getByTestId('policy-saved')).toBeTruthy();
    const puts = api
      .calls()
      .filter(([, init]) => init.method === 'PUT')
      .map(([, init]) => JSON.parse(String(init.body)));
    expect(puts[1]).toEqual({
      // "60 days" goes as ISO-8601, which the server reads
      document: {
        rules: {
          'nas-copy': { enabled: true, maxAge: 'PT26H' },
          ups: { enabled: true, selfTestEvery: 'PT1440H', minRuntime: 'PT10M' },
        },
      },
      comment: 'insurer asks for 60 days',
      basedOnVersion: 3,
    });
  });

  it('lets a group manager read the policy and who changed it, not change it', async () => {
    stubPolicyApi(groupManager, () => new Response(null, { status: 500 }));
    renderWithProviders(<AppRoutes />, { route: '/policy' });
    expect(await screen.findByTestId('policy-version-row')).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId('signed-in-user').dataset.role).toBe('group-manager'));
    expect(screen.getByLabelText('Max age')).toHaveProperty('readOnly', true);
    expect(screen.queryByRole('button', { name: 'Save as a new version' })).toBeNull();
    expect(screen.getByText(/only provider admins change the policy/)).toBeTruthy();
    expect(screen.getByTestId('policy-version-row').textContent).toContain('weekend copies run late');
  });
});
