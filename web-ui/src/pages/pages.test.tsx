import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppRoutes } from '../App';
import { problem, providerAdmin, sequence, stubApi } from '../test/api';
import { fleetFixture, practiceComplianceFixture, practiceFixture, practiceSideCalls } from '../test/fixtures';
import { renderWithProviders } from '../test/render';

afterEach(() => vi.unstubAllGlobals());

/** Answers each request but GET /api/me in turn with the next of `responses`. */
function stubFetch(...responses: (() => Response)[]) {
  return stubApi(sequence(...responses));
}

describe('fleet page', () => {
  it('shows the counts per state, the page of practices and where it stands', async () => {
    const api = stubFetch(() => Response.json(fleetFixture));
    renderWithProviders(<AppRoutes />);
    expect(await screen.findByRole('heading', { level: 1, name: 'Fleet' })).toBeTruthy();
    expect(await screen.findByTestId('fleet-summary')).toHaveProperty('textContent', 'Showing 1–4 of 4 practices');
    expect(screen.getByTestId('count-FAIL').textContent).toBe('1 failing');
    expect(screen.getByTestId('count-PASS').textContent).toBe('2 passing');
    expect(screen.getAllByTestId('practice-row')).toHaveLength(4);
    expect(api.calls()[0]![0]).toBe('/api/fleet/compliance?sort=group&page=0&size=50');
  });

  it('asks the API for what the person filters, and keeps it in the address bar', async () => {
    const api = stubFetch(() => Response.json(fleetFixture));
    renderWithProviders(<AppRoutes />, { route: '/?rule=nas-copy' });
    fireEvent.click(await screen.findByTestId('count-FAIL'));
    await waitFor(() =>
      expect(api.calls().map(([url]) => url)).toContain(
        '/api/fleet/compliance?state=FAIL&rule=nas-copy&sort=group&page=0&size=50',
      ),
    );
    expect(screen.getByTestId('count-FAIL').getAttribute('aria-pressed')).toBe('true');

    fireEvent.change(screen.getByLabelText('Search'), { target: { value: 'oak' } });
    await waitFor(() =>
      expect(api.calls().map(([url]) => url)).toContain(
        '/api/fleet/compliance?state=FAIL&rule=nas-copy&q=oak&sort=group&page=0&size=50',
      ),
    );
  });

  it('pages through a large fleet', async () => {
    const api = stubFetch(() => Response.json({ ...fleetFixture, total: 120 }));
    renderWithProviders(<AppRoutes />);
    expect(await screen.findByTestId('fleet-summary')).toHaveProperty('textContent', 'Showing 1–50 of 120 practices');
    fireEvent.click(screen.getByRole('button', { name: '3' }));
    await waitFor(() =>
      expect(api.calls().map(([url]) => url)).toContain('/api/fleet/compliance?sort=group&page=2&size=50'),
    );
  });

  it('shows the empty state', async () => {
    stubFetch(() =>
      Response.json({ ...fleetFixture, total: 0, practices: [], counts: { FAIL: 0, AT_RISK: 0, UNKNOWN: 0, PASS: 0 } }),
    );
    renderWithProviders(<AppRoutes />);
    expect(await screen.findByText(/No practices yet: a provider admin adds them/)).toBeTruthy();
  });

  it('tells the admin of a new provider to start with a group, and offers no practice to add without one', async () => {
    const empty = {
      ...fleetFixture,
      total: 0,
      practices: [],
      groups: [],
      counts: { FAIL: 0, AT_RISK: 0, UNKNOWN: 0, PASS: 0 },
    };
    stubApi(() => Response.json(empty), { me: providerAdmin });
    renderWithProviders(<AppRoutes />);
    const summary = await screen.findByTestId('fleet-summary');
    await waitFor(() =>
      expect(summary.textContent).toMatch(/^No practices yet\. Start with a group on Groups and practices/),
    );
    expect(within(summary).getByRole('link', { name: 'Groups and practices' }).getAttribute('href')).toBe(
      '/admin/groups',
    );
    expect(screen.queryByTestId('add-practice-button')).toBeNull();
  });

  it('tells the admin of a group without practices to add one', async () => {
    stubApi(
      () =>
        Response.json({
          ...fleetFixture,
          total: 0,
          practices: [],
          counts: { FAIL: 0, AT_RISK: 0, UNKNOWN: 0, PASS: 0 },
        }),
      { me: providerAdmin },
    );
    renderWithProviders(<AppRoutes />);
    expect(await screen.findByText(/No practices yet: add a practice, then install its agent/)).toBeTruthy();
    expect(await screen.findByTestId('add-practice-button')).toBeTruthy();
  });

  it('shows the error with a retry button that fetches again', async () => {
    const api = stubFetch(problem(503, 'Event log unavailable'), () => Response.json(fleetFixture));
    renderWithProviders(<AppRoutes />);
    expect(await screen.findByText('Event log unavailable')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(screen.getAllByTestId('practice-row')).toHaveLength(4));
    // the fleet, twice (the page also asks once which practices are in maintenance)
    expect(api.calls().filter(([url]) => url.startsWith('/api/fleet'))).toHaveLength(2);
  });
});

describe('practice page', () => {
  it('names the policy its rules were evaluated with: a version, or the reference policy nobody has changed yet', async () => {
    stubApi(
      (url) =>
        (url.endsWith('/compliance') ? Response.json({ ...practiceComplianceFixture, policyVersion: 0 }) : null) ??
        practiceSideCalls(url) ??
        Response.json(practiceFixture),
    );
    renderWithProviders(<AppRoutes />, { route: '/practices/p-oak' });
    expect(await screen.findByText(/^The reference policy, evaluated/)).toBeTruthy();
    expect(screen.queryByText(/Policy version 0/)).toBeNull();
  });

  it('names a changed policy by its version', async () => {
    stubApi((url) => practiceSideCalls(url) ?? Response.json(practiceFixture));
    renderWithProviders(<AppRoutes />, { route: '/practices/p-oak' });
    expect(await screen.findByText(/^Policy version 2, evaluated/)).toBeTruthy();
  });

  it('shows the practice, its checks, agents and events newest first', async () => {
    stubApi((url) => practiceSideCalls(url) ?? Response.json(practiceFixture));
    renderWithProviders(<AppRoutes />, { route: '/practices/p-oak' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Oak Street Surgery' })).toBeTruthy();
    expect(screen.getByText('Group: City Group')).toBeTruthy();
    expect(screen.getByRole('link', { name: /Back to fleet/ }).getAttribute('href')).toBe('/');

    const check = screen.getByTestId('check-row');
    expect(check.textContent).toContain('backup-age');
    expect(check.textContent).toContain('ageHours');
    expect(check.textContent).toContain('30');

    expect(screen.getByTestId('agent-row').textContent).toContain('oak-server');
    expect(screen.getAllByTestId('event-row').map((r) => r.textContent)).toEqual([
      expect.stringContaining('Check result'),
      expect.stringContaining('Heartbeat'),
    ]);
  });

  it('says how many events an agent set aside because the control plane refused them, and since when', async () => {
    const agents = [
      {
        ...practiceFixture.agents[0],
        id: 'a-1',
        hostname: 'oak-server',
        eventsSetAside: 3,
        oldestSetAsideAt: '2026-11-29T06:10:00',
      },
      { ...practiceFixture.agents[0], id: 'a-2', hostname: 'oak-spare', eventsSetAside: 0, oldestSetAsideAt: null },
    ];
    stubApi((url) => practiceSideCalls(url) ?? Response.json({ ...practiceFixture, agents }));
    renderWithProviders(<AppRoutes />, { route: '/practices/p-oak' });
    await screen.findByRole('heading', { level: 1, name: 'Oak Street Surgery' });

    const [holding, clear] = screen.getAllByTestId('agent-row');
    expect(holding?.textContent).toContain('3 events set aside since 29 Nov 06:10: the control plane refused them');
    expect(clear?.textContent).not.toContain('set aside');
  });

  it("says when an agent's computer keeps the wrong time, and not when it is a few seconds off", async () => {
    const agents = [
      { ...practiceFixture.agents[0], id: 'a-1', hostname: 'oak-server', clockOffsetSeconds: 3700 },
      { ...practiceFixture.agents[0], id: 'a-2', hostname: 'oak-spare', clockOffsetSeconds: -20 },
    ];
    stubApi((url) => practiceSideCalls(url) ?? Response.json({ ...practiceFixture, agents }));
    renderWithProviders(<AppRoutes />, { route: '/practices/p-oak' });
    await screen.findByRole('heading', { level: 1, name: 'Oak Street Surgery' });

    const [ahead, onTime] = screen.getAllByTestId('agent-row');
    expect(ahead?.textContent).toContain('clock 1 h ahead');
    expect(onTime?.textContent).not.toContain('clock');
  });

  it('heads the page with its compliance state and lists every rule worst first, with the reason in words', async () => {
    stubApi((url) => practiceSideCalls(url) ?? Response.json(practiceFixture));
    renderWithProviders(<AppRoutes />, { route: '/practices/p-oak' });
    await screen.findByRole('heading', { level: 1, name: 'Oak Street Surgery' });
    await waitFor(() => expect(screen.getAllByTestId('rule-row')).toHaveLength(3));
    expect(screen.getAllByTestId('rule-row').map((r) => r.dataset.ruleId)).toEqual(['nas-copy', 'restore-test', 'ups']);
    expect(screen.getAllByTestId('rule-row')[0]!.textContent).toContain('Daily copy on the NAS');
    expect(screen.getAllByTestId('rule-row')[0]!.textContent).toContain('last NAS copy 30 h ago (limit 26 h)');
    expect(screen.getByTestId('practice-reason').textContent).toBe('nas-copy: last NAS copy 30 h ago (limit 26 h)');
    const [restore, sync] = screen.getAllByTestId('objective');
    expect(restore!.textContent).toContain('6 min 30 s');
    expect(restore!.textContent).toContain('Within the objective');
    expect(sync!.textContent).toContain('Not measured yet');
    expect((await screen.findByTestId('contact-row')).textContent).toContain('Every practice of the group');
    expect(screen.getByText(/No exceptions/)).toBeTruthy();
  });

  it('says "Practice not found" on 404, with a link back', async () => {
    stubFetch(problem(404, 'No practice nope'));
    renderWithProviders(<AppRoutes />, { route: '/practices/nope' });
    expect(await screen.findByRole('heading', { name: 'Practice not found' })).toBeTruthy();
    expect(screen.getByRole('link', { name: /Back to fleet/ }).getAttribute('href')).toBe('/');
  });
});

describe('a page that fails to render', () => {
  it('says so in words with a reload button, never a blank page', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    // an answer of a shape the page does not expect
    stubApi(() => Response.json({ generatedAt: 'x', counts: null, total: 3, groups: null, practices: null }));
    renderWithProviders(<AppRoutes />);
    expect(await screen.findByText('This page could not be shown')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Reload' })).toBeTruthy();
    error.mockRestore();
  });
});
