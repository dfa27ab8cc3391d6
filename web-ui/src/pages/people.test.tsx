import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppRoutes } from '../App';
import type { Me, Person } from '../api/types';
import { providerAdmin, stubApi } from '../test/api';
import { renderWithProviders } from '../test/render';

afterEach(() => vi.unstubAllGlobals());

const operator: Me = {
  username: 'oscar',
  name: 'Oscar Operator',
  role: 'platform-operator',
  providerId: null,
  groupId: null,
  practiceId: null,
};

const pat: Person = {
  id: 'kc-pat',
  username: 'pat',
  email: 'pat@example.org',
  firstName: 'Pat',
  lastName: 'Kelly',
  name: 'Pat Kelly',
  role: 'practice-manager',
  providerId: 'prov-1',
  groupId: 'g-city',
  groupName: 'City Group',
  practiceId: 'p-oak',
  practiceName: 'Oak Street Surgery',
  enabled: true,
  invitationPending: false,
};
const alice: Person = {
  ...pat,
  id: 'kc-alice',
  username: 'alice',
  name: 'Alice Example',
  role: 'provider-admin',
  groupId: null,
  groupName: null,
  practiceId: null,
  practiceName: null,
};

describe('People page', () => {
  it('lists people with role and reach, and shows a refused email under its field', async () => {
    const api = stubApi(
      (url, init) => {
        if (url === '/api/people' && init.method === 'POST') {
          return new Response(
            JSON.stringify({
              title: 'Conflict',
              status: 409,
              detail:
                'Pat Example (pat@example.org) is already one of your people, as practice-manager; find them in the list of people to change their role or reach. Nothing was created',
              errors: [
                {
                  field: 'email',
                  message:
                    'Pat Example (pat@example.org) is already one of your people, as practice-manager; find them in the list of people to change their role or reach. Nothing was created',
                },
              ],
            }),
            { status: 409, headers: { 'Content-Type': 'application/problem+json' } },
          );
        }
        if (url === '/api/people') return Response.json([alice, pat]);
        if (url === '/api/groups') return Response.json([{ id: 'g-city', providerId: 'prov-1', name: 'City Group' }]);
        if (url.startsWith('/api/practices')) {
          // every practice in reach: a decommissioned one is no one's to manage
          return Response.json([
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
              groupId: 'g-city',
              providerId: 'prov-1',
              name: 'Gone Surgery',
              createdAt: null,
              decommissionedAt: '2025-01-01T00:00:00Z',
              decommissionedBy: 'alice',
              decommissionReason: null,
            },
          ]);
        }
        return Response.json({ practices: [] });
      },
      { me: providerAdmin },
    );
    renderWithProviders(<AppRoutes />, { route: '/people' });
    const rows = await screen.findAllByTestId('person-row');
    expect(rows).toHaveLength(2);
    expect(within(rows[1]!).getByText('Oak Street Surgery')).toBeTruthy();
    expect(within(rows[0]!).getByText('Whole provider')).toBeTruthy();
    // nobody changes themselves
    expect(within(rows[0]!).getByText('You')).toBeTruthy();
    expect(within(rows[1]!).getByRole('button', { name: 'Disable' })).toBeTruthy();

    fireEvent.change(screen.getByTestId('person-email'), { target: { value: 'pat@example.org' } });
    fireEvent.change(screen.getByTestId('person-first-name'), { target: { value: 'Pat' } });
    fireEvent.change(screen.getByTestId('person-last-name'), { target: { value: 'Again' } });
    await waitFor(() => expect(screen.getByTestId('person-practice').querySelectorAll('option').length).toBe(2));
    fireEvent.change(screen.getByTestId('person-practice'), { target: { value: 'p-oak' } });
    fireEvent.click(screen.getByTestId('invite-button'));
    expect(
      (
        await screen.findAllByText(
          'Pat Example (pat@example.org) is already one of your people, as practice-manager; find them in the list of people to change their role or reach. Nothing was created',
        )
      ).length,
    ).toBeGreaterThan(0);
    const post = api.calls().find(([url, init]) => url === '/api/people' && init.method === 'POST');
    expect(JSON.parse(String(post![1].body))).toEqual({
      email: 'pat@example.org',
      firstName: 'Pat',
      lastName: 'Again',
      role: 'practice-manager',
      practiceId: 'p-oak',
    });
  });
});

describe('inviting a practice manager', () => {
  it('says that failure emails need them as a contact of the practice, with a link to its page', async () => {
    const hana: Person = {
      ...pat,
      id: 'kc-hana',
      username: 'hana@example.org',
      email: 'hana@example.org',
      name: 'Hana Okafor',
      invitationPending: true,
    };
    stubApi(
      (url, init) => {
        if (url === '/api/people' && init.method === 'POST')
          return Response.json({ person: hana, invitationSent: true, invitationProblem: null }, { status: 201 });
        if (url === '/api/people') return Response.json([alice]);
        if (url === '/api/groups') return Response.json([{ id: 'g-city', providerId: 'prov-1', name: 'City Group' }]);
        if (url.startsWith('/api/practices')) {
          return Response.json([
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
          ]);
        }
        return Response.json({ practices: [] });
      },
      { me: providerAdmin },
    );
    renderWithProviders(<AppRoutes />, { route: '/people' });
    await screen.findAllByTestId('person-row');
    fireEvent.change(screen.getByTestId('person-email'), { target: { value: 'hana@example.org' } });
    fireEvent.change(screen.getByTestId('person-first-name'), { target: { value: 'Hana' } });
    fireEvent.change(screen.getByTestId('person-last-name'), { target: { value: 'Okafor' } });
    await waitFor(() => expect(screen.getByTestId('person-practice').querySelectorAll('option').length).toBe(2));
    fireEvent.change(screen.getByTestId('person-practice'), { target: { value: 'p-oak' } });
    fireEvent.click(screen.getByTestId('invite-button'));
    const result = await screen.findByTestId('invite-result');
    expect(result.textContent).toContain(
      'Hana Okafor was invited: Keycloak emailed hana@example.org a link to set a password.',
    );
    expect(within(result).getByTestId('invite-contact-hint').textContent).toBe(
      'To email them when its backups fail, add them as a contact on the page of Oak Street Surgery.',
    );
    expect(within(result).getByRole('link', { name: 'Oak Street Surgery' }).getAttribute('href')).toBe(
      '/practices/p-oak',
    );
  });
});

describe('a platform operator', () => {
  it('lands on the Providers page and is offered no fleet', async () => {
    stubApi(
      (url) => {
        if (url === '/api/operator/providers')
          return Response.json([{ id: 'prov-1', name: 'Northwind IT Services', createdAt: '2026-01-01T00:00:00Z' }]);
        if (url.endsWith('/admins')) return Response.json([alice]);
        return new Response(null, { status: 403 });
      },
      { me: operator },
    );
    renderWithProviders(<AppRoutes />, { route: '/' });
    await screen.findByRole('heading', { level: 1, name: 'Providers' });
    expect(await screen.findByText('Northwind IT Services')).toBeTruthy();
    expect(await screen.findByText('Alice Example')).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Fleet' })).toBeNull();
    expect(screen.getByRole('link', { name: 'Providers' })).toBeTruthy();
  });
});
