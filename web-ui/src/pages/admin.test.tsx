import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppRoutes } from '../App';
import type { EnrolmentToken, Me } from '../api/types';
import { practiceManager, providerAdmin, stubApi } from '../test/api';
import { auditFixture } from '../test/auditFixture';
import { fleetFixture, NOW, practiceFixture, practiceSideCalls } from '../test/fixtures';
import { renderWithProviders } from '../test/render';
import { AuditTable } from './AuditPage';

afterEach(() => vi.unstubAllGlobals());

const token: EnrolmentToken = {
  id: 'et-1',
  practiceId: 'p-oak',
  token: 'rmp_enrol_abc123',
  expiresAt: '2025-03-02T12:00:00Z',
  enrolCommand: 'curl -fsSL https://rampart.example/install.sh | sudo sh -s -- --token rmp_enrol_abc123',
  installCommandLinux: 'curl -fsSL https://rampart.example/install.sh | sudo sh -s -- --token rmp_enrol_abc123',
  installCommandWindows:
    'powershell -NoProfile -Command "& ([scriptblock]::Create((Invoke-RestMethod https://rampart.example/install.ps1))) -Token rmp_enrol_abc123"',
};

/** The practice page's API; POSTs answered by `post`. */
function stubPracticeApi(me: Me, post: (url: string) => Response = () => new Response(null, { status: 500 })) {
  let revoked = false;
  return stubApi(
    (url, init) => {
      if (init.method === 'POST') {
        if (url.endsWith('/revoke')) revoked = true;
        return post(url);
      }
      const side = practiceSideCalls(url);
      if (side) return side;
      if (url === '/api/practices/p-oak') {
        return Response.json({
          ...practiceFixture,
          agents: practiceFixture.agents.map((a) => ({ ...a, revoked })),
        });
      }
      if (url.startsWith('/api/audit')) return Response.json(auditFixture);
      return Response.json(fleetFixture);
    },
    { me },
  );
}

async function renderPractice(me: Me, post?: (url: string) => Response) {
  const api = stubPracticeApi(me, post);
  renderWithProviders(<AppRoutes />, { route: '/practices/p-oak' });
  await screen.findByRole('heading', { level: 1, name: 'Oak Street Surgery' });
  await waitFor(() => expect(screen.getByTestId('signed-in-user').dataset.role).toBe(me.role));
  return api;
}

describe('role-gated UI', () => {
  it('shows "Add an agent", "Revoke" and the audit link to a provider admin', async () => {
    await renderPractice(providerAdmin);
    expect(screen.getByTestId('add-agent-button').textContent).toBe('Add an agent');
    const revoke = within(screen.getByTestId('agent-row')).getByTestId('revoke-agent-button');
    expect(revoke.getAttribute('aria-label')).toBe('Revoke oak-server');
    expect(screen.getByRole('link', { name: 'Audit log' }).getAttribute('href')).toBe('/audit');
  });

  it('shows none of them to a practice manager', async () => {
    await renderPractice(practiceManager);
    expect(screen.getByTestId('signed-in-user').textContent).toBe('Pete Manager · Practice manager');
    expect(screen.queryByTestId('add-agent-button')).toBeNull();
    expect(screen.queryByTestId('revoke-agent-button')).toBeNull();
    expect(screen.queryByRole('link', { name: 'Audit log' })).toBeNull();
    expect(screen.getByTestId('agent-row').textContent).toContain('Active');
  });
});

describe('adding an agent', () => {
  it('shows the token and command once, with the expiry, then forgets them', async () => {
    const api = await renderPractice(providerAdmin, () => Response.json(token, { status: 201 }));
    const writeText = vi.fn(async () => {});
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });

    fireEvent.click(screen.getByTestId('add-agent-button'));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByTestId('enrolment-command').textContent).toBe(token.installCommandLinux);
    expect(within(dialog).getByTestId('enrolment-command-windows').textContent).toBe(token.installCommandWindows);
    expect(within(dialog).getByTestId('enrolment-token').textContent).toBe(token.token);
    expect(dialog.textContent).toContain('works once');
    expect(dialog.textContent).toContain('cannot be shown again');
    expect(within(dialog).getByTestId('enrolment-expiry').getAttribute('dateTime')).toBe(token.expiresAt);

    const post = api.calls().find(([, init]) => init.method === 'POST');
    expect(post?.[0]).toBe('/api/practices/p-oak/enrolment-tokens');
    expect(JSON.parse(post?.[1].body as string)).toEqual({ validForHours: 24 });

    fireEvent.click(within(dialog).getByRole('button', { name: 'Copy Linux command' }));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith(token.installCommandLinux));

    fireEvent.click(within(dialog).getByRole('button', { name: 'I have copied it' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(screen.queryByTestId('enrolment-command')).toBeNull();
    expect(document.body.textContent).not.toContain(token.token);
  });

  it('watches for the agent and says when it has enrolled', async () => {
    let tokenCreated = false;
    stubApi(
      (url, init) => {
        if (init.method === 'POST') {
          tokenCreated = true;
          return Response.json(token, { status: 201 });
        }
        const side = practiceSideCalls(url);
        if (side) return side;
        const agents = tokenCreated
          ? [
              ...practiceFixture.agents,
              {
                ...practiceFixture.agents[0]!,
                id: 'a-new',
                hostname: 'oak-server-2',
                enrolledAt: '2025-03-01T12:05:00Z',
              },
            ]
          : practiceFixture.agents;
        return Response.json({ ...practiceFixture, agents });
      },
      { me: providerAdmin },
    );
    renderWithProviders(<AppRoutes />, { route: '/practices/p-oak?enrol=1' });
    // ?enrol=1 (a practice just added) opens the dialog at once
    const dialog = await screen.findByRole('dialog');
    await waitFor(() =>
      expect(within(dialog).getByTestId('agent-watch').textContent).toContain('oak-server-2 enrolled'),
    );
    expect(within(dialog).getByTestId('agent-watch').textContent).not.toContain('oak-server,');
  });

  it("shows the server's problem when it refuses", async () => {
    await renderPractice(providerAdmin, () =>
      Response.json({ status: 403, detail: 'Not your practice' }, { status: 403 }),
    );
    fireEvent.click(screen.getByTestId('add-agent-button'));
    expect((await screen.findByRole('alert')).textContent).toContain('Not your practice');
  });
});

describe('revoking an agent', () => {
  it('asks first, naming the host, then revokes and refetches the practice', async () => {
    const api = await renderPractice(providerAdmin, () =>
      Response.json({ id: 'a-1', revokedAt: '2025-03-01T12:00:00Z' }),
    );
    fireEvent.click(screen.getByTestId('revoke-agent-button'));
    const dialog = await screen.findByRole('dialog');
    expect(dialog.textContent).toContain('oak-server');
    expect(api.calls().some(([, init]) => init.method === 'POST')).toBe(false);

    fireEvent.click(within(dialog).getByRole('button', { name: 'Revoke oak-server' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(
      api
        .calls()
        .filter(([, init]) => init.method === 'POST')
        .map(([url]) => url),
    ).toEqual(['/api/agents/a-1/revoke']);
    await waitFor(() => expect(screen.getByTestId('agent-row').textContent).toContain('Revoked'));
    expect(api.calls().filter(([url]) => url === '/api/practices/p-oak').length).toBe(2);
    expect(screen.queryByTestId('revoke-agent-button')).toBeNull();
  });

  it('does nothing on cancel', async () => {
    const api = await renderPractice(providerAdmin);
    fireEvent.click(screen.getByTestId('revoke-agent-button'));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(api.calls().some(([, init]) => init.method === 'POST')).toBe(false);
  });
});

describe('audit log', () => {
  it('renders a row per entry, newest first, with before/after on demand', () => {
    renderWithProviders(<AuditTable entries={[...auditFixture].reverse()} now={NOW} />);
    const rows = screen.getAllByTestId('audit-row');
    expect(rows.map((r) => r.dataset.auditId)).toEqual(['au-3', 'au-2', 'au-1']);
    const [revoke, , enrol] = rows;
    expect(revoke!.textContent).toContain('alice');
    expect(revoke!.textContent).toContain('agent.revoke');
    expect(revoke!.textContent).toContain('agent');
    expect(revoke!.textContent).toContain('a-1');
    const when = revoke!.querySelector('time');
    expect(when?.textContent).toBe('10 min ago');
    expect(when?.getAttribute('title')).toContain('2025');
    expect(within(enrol!).queryByRole('button')).toBeNull();

    const show = within(revoke!).getByRole('button', { name: 'Show changes' });
    expect(show.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(show);
    const changes = screen.getByTestId('audit-changes');
    expect(changes.textContent).toContain('"revoked": false');
    expect(changes.textContent).toContain('"revoked": true');
    fireEvent.click(within(revoke!).getByRole('button', { name: 'Hide changes' }));
    expect(screen.queryByTestId('audit-changes')).toBeNull();
  });

  it('the /audit page loads the latest 200 entries', async () => {
    const api = stubPracticeApi(providerAdmin);
    renderWithProviders(<AppRoutes />, { route: '/audit' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Audit log' })).toBeTruthy();
    await waitFor(() => expect(screen.getAllByTestId('audit-row')).toHaveLength(3));
    expect(api.calls().map(([url]) => url)).toEqual(['/api/audit?limit=200']);
  });

  it("shows the 403's detail to someone who may not see it", async () => {
    stubApi(() => Response.json({ status: 403, detail: 'Provider admins only' }, { status: 403 }));
    renderWithProviders(<AppRoutes />, { route: '/audit' });
    expect((await screen.findByRole('alert')).textContent).toBe('Provider admins only');
  });
});

describe('adding a practice', () => {
  it('refuses an empty name, then adds the practice and opens its page ready to enrol', async () => {
    const api = stubApi(
      (url, init) => {
        if (init.method === 'POST' && url === '/api/groups/g-city/practices')
          return Response.json({ id: 'p-oak', groupId: 'g-city', name: 'Oak Street Surgery' }, { status: 201 });
        if (init.method === 'POST') return Response.json(token, { status: 201 });
        const side = practiceSideCalls(url);
        if (side) return side;
        if (url === '/api/practices/p-oak') return Response.json(practiceFixture);
        return Response.json(fleetFixture);
      },
      { me: providerAdmin },
    );
    renderWithProviders(<AppRoutes />);
    fireEvent.click(await screen.findByTestId('add-practice-button'));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add and enrol its agent' }));
    expect(await within(dialog).findByText('Give the practice a name')).toBeTruthy();
    expect(api.calls().some(([, init]) => init.method === 'POST')).toBe(false);

    fireEvent.change(within(dialog).getByLabelText('Practice name'), { target: { value: ' Oak Street Surgery ' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add and enrol its agent' }));
    await screen.findByRole('heading', { level: 1, name: 'Oak Street Surgery' });
    expect(await screen.findByTestId('enrolment-command')).toBeTruthy();
    const posts = api.calls().filter(([, init]) => init.method === 'POST');
    expect(posts[0]![0]).toBe('/api/groups/g-city/practices');
    expect(JSON.parse(String(posts[0]![1].body))).toEqual({ name: 'Oak Street Surgery' });
  });
});
