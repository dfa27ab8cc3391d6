import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppRoutes } from '../App';
import type { TenancyGroup, TenancyPractice } from '../lib/tenancy';
import { problem, providerAdmin, stubApi } from '../test/api';
import { renderWithProviders } from '../test/render';
import { practiceFixture, practiceSideCalls } from '../test/fixtures';

afterEach(() => vi.unstubAllGlobals());

const groups: TenancyGroup[] = [
  {
    id: 'g-city',
    providerId: 'prov-1',
    name: 'City Health',
    timeZone: 'Europe/London',
    createdAt: null,
    archivedAt: null,
    archivedBy: null,
  },
  {
    id: 'g-old',
    providerId: 'prov-1',
    name: 'Old Town',
    timeZone: 'UTC',
    createdAt: null,
    archivedAt: '2025-01-01T00:00:00Z',
    archivedBy: 'alice',
  },
];
const practices: TenancyPractice[] = [
  {
    id: 'p-oak',
    groupId: 'g-city',
    providerId: 'prov-1',
    name: 'Oak Street Surgery',
    createdAt: null,
    decommissionedAt: null,
    decommissionedBy: null,
    decommissionReason: null,
  },
  {
    id: 'p-gone',
    groupId: 'g-old',
    providerId: 'prov-1',
    name: 'Gone Surgery',
    createdAt: null,
    decommissionedAt: '2024-12-01T10:00:00Z',
    decommissionedBy: 'alice',
    decommissionReason: 'closed',
  },
];

function stubTenancy(post: (url: string, body: unknown) => Response = () => Response.json({})) {
  return stubApi(
    (url, init) => {
      if (init.method === 'POST' || init.method === 'PUT')
        return post(url, init.body ? JSON.parse(String(init.body)) : undefined);
      if (url.startsWith('/api/groups')) return Response.json(groups);
      if (url.startsWith('/api/practices')) return Response.json(practices);
      return Response.json([]);
    },
    { me: providerAdmin },
  );
}

async function renderPage(post?: (url: string, body: unknown) => Response) {
  const api = stubTenancy(post);
  renderWithProviders(<AppRoutes />, { route: '/admin/groups' });
  await screen.findByRole('heading', { level: 1, name: 'Groups and practices' });
  await screen.findByText('City Health');
  return api;
}

describe('groups and practices page', () => {
  it('lists live groups and practices, and archived and decommissioned ones when asked', async () => {
    await renderPage();
    expect(screen.getAllByTestId('group-row')).toHaveLength(1);
    expect(screen.queryByText('Gone Surgery')).toBeNull();
    fireEvent.click(screen.getByTestId('show-archived'));
    expect(screen.getAllByTestId('group-row')).toHaveLength(2);
    const gone = screen.getAllByTestId('practice-row').find((row) => row.dataset.decommissioned === 'true')!;
    expect(gone.textContent).toMatch(/Decommissioned on .* by alice: closed/);
    expect(within(gone).queryByRole('button')).toBeNull();
  });

  it('asks before decommissioning, saying what will happen, and sends the reason', async () => {
    const api = await renderPage(() =>
      Response.json({ ...practices[0], decommissionedAt: '2025-03-01T12:00:00Z', decommissionedBy: 'alice' }),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Decommission' }));
    const consequences = await screen.findByTestId('decommission-consequences');
    expect(consequences.textContent).toContain('Every agent of Oak Street Surgery is revoked at once');
    expect(consequences.textContent).toContain('nobody is emailed about it');
    expect(consequences.textContent).toContain('kept, read-only, for 7 years');
    fireEvent.change(screen.getByLabelText(/Why/), { target: { value: 'merged' } });
    fireEvent.click(screen.getByRole('button', { name: 'Decommission Oak Street Surgery' }));
    await waitFor(() =>
      expect(
        api
          .calls()
          .some(
            ([url, init]) =>
              url === '/api/practices/p-oak/decommission' && init.body === JSON.stringify({ reason: 'merged' }),
          ),
      ).toBe(true),
    );
  });

  it('will not archive a group with live practices and names them', async () => {
    const api = await renderPage();
    fireEvent.click(screen.getByRole('button', { name: 'Archive' }));
    expect((await screen.findByRole('alert')).textContent).toContain(
      'City Health still has 1 live practice: “Oak Street Surgery”',
    );
    expect(api.calls().some(([, init]) => init.method === 'POST')).toBe(false);
  });

  it("shows the server's refusal of a name under the field", async () => {
    await renderPage(
      () =>
        new Response(
          JSON.stringify({
            status: 400,
            detail: 'The group was not created',
            errors: [{ field: 'name', message: 'your provider already has a group named "City Health"' }],
          }),
          {
            status: 400,
            headers: { 'Content-Type': 'application/problem+json' },
          },
        ),
    );
    fireEvent.click(screen.getByTestId('new-group-button'));
    fireEvent.change(await screen.findByLabelText('Group name'), { target: { value: 'City Health' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create the group' }));
    expect(await screen.findByText('your provider already has a group named "City Health"')).toBeTruthy();
  });

  it('says there is nowhere to move a practice when its group is the only live one', async () => {
    await renderPage(problem(409, 'not expected'));
    fireEvent.click(screen.getByRole('button', { name: 'Move' }));
    expect(await screen.findByText(/no other live group to move Oak Street Surgery to/)).toBeTruthy();
  });
});

describe("a decommissioned practice's page", () => {
  it('still shows it, read-only, with who decommissioned it and when', async () => {
    stubApi(
      (url) =>
        practiceSideCalls(url) ??
        Response.json({
          ...practiceFixture,
          decommissionedAt: '2025-02-01T10:00:00Z',
          decommissionedBy: 'alice',
          decommissionReason: 'merged',
        }),
      { me: providerAdmin },
    );
    renderWithProviders(<AppRoutes />, { route: '/practices/p-oak' });
    const notice = await screen.findByTestId('decommissioned-notice');
    expect(notice.textContent).toMatch(/Decommissioned on .*2025.* by alice: merged/);
    expect(notice.textContent).toContain('kept here, read-only, for 7 years');
    // nothing offers a change the API would refuse with 409
    expect(screen.queryByTestId('add-agent-button')).toBeNull();
    expect(screen.queryByRole('button', { name: /revoke/i })).toBeNull();
  });
});
