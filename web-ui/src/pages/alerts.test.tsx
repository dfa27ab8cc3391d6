import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppRoutes } from '../App';
import type { Alert } from '../api/types';
import { practiceManager, problem, providerAdmin, stubApi } from '../test/api';
import { renderWithProviders } from '../test/render';

afterEach(() => vi.unstubAllGlobals());

const open: Alert = {
  id: 'a-1',
  practiceId: 'p-oak',
  practiceName: 'Oak Street Surgery',
  groupId: 'g-city',
  ruleId: 'nas-copy',
  status: 'OPEN',
  level: 'FAIL',
  reason: 'last NAS copy 40 h ago (limit 26 h)',
  openedAt: '2025-03-01T08:00:00Z',
  acknowledgedAt: null,
  acknowledgedBy: null,
  acknowledgedNote: null,
  escalatedAt: '2025-03-01T10:00:00Z',
  resolvedAt: null,
  notifications: [],
  silenced: false,
  toldAt: null,
};
const acknowledged: Alert = {
  ...open,
  id: 'a-2',
  practiceId: 'p-birch',
  practiceName: 'Birch Lane Clinic',
  ruleId: 'ups',
  level: 'AT_RISK',
  status: 'ACKNOWLEDGED',
  acknowledgedBy: 'tom',
  acknowledgedNote: 'battery ordered',
  escalatedAt: null,
};

describe('alerts page', () => {
  it('lists the open alerts with who is on each, and acknowledges one with a note', async () => {
    let acknowledgedYet = false;
    const api = stubApi(
      (_url, init) => {
        if (init.method === 'POST') {
          acknowledgedYet = true;
          return Response.json({
            ...open,
            status: 'ACKNOWLEDGED',
            acknowledgedBy: 'alice',
            acknowledgedNote: 'calling them',
          });
        }
        return Response.json(
          acknowledgedYet
            ? [{ ...open, status: 'ACKNOWLEDGED', acknowledgedBy: 'alice' }, acknowledged]
            : [open, acknowledged],
        );
      },
      { me: providerAdmin },
    );
    renderWithProviders(<AppRoutes />, { route: '/alerts' });
    expect(await screen.findByTestId('alerts-summary')).toHaveProperty(
      'textContent',
      '2 open alerts, 1 not acknowledged',
    );
    const [oak, birch] = screen.getAllByTestId('alert-row');
    expect(oak!.textContent).toContain('Daily copy on the NAS');
    expect(within(oak!).getByTestId('alert-owner').textContent).toBe('Nobody yet · escalated to on-call');
    expect(within(birch!).getByTestId('alert-owner').textContent).toBe('tom: “battery ordered”');
    expect(within(birch!).queryByRole('button')).toBeNull();

    fireEvent.click(
      within(oak!).getByRole('button', { name: 'Acknowledge Daily copy on the NAS at Oak Street Surgery' }),
    );
    fireEvent.change(await screen.findByLabelText(/Note for the others/), { target: { value: ' calling them ' } });
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Acknowledge' }));
    await waitFor(() =>
      expect(screen.getByTestId('alerts-summary').textContent).toBe('2 open alerts, 0 not acknowledged'),
    );
    const post = api.calls().find(([, init]) => init.method === 'POST')!;
    expect(post[0]).toBe('/api/alerts/a-1/acknowledge');
    expect(JSON.parse(String(post[1].body))).toEqual({ note: 'calling them' });
  });

  it('offers a practice manager no acknowledge button', async () => {
    stubApi(() => Response.json([open]), { me: practiceManager });
    renderWithProviders(<AppRoutes />, { route: '/alerts' });
    expect(await screen.findByTestId('alerts-summary')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Acknowledge/ })).toBeNull();
  });

  it('says in words when the alerts cannot be loaded', async () => {
    stubApi(problem(503, 'The database is unavailable'), { me: providerAdmin });
    renderWithProviders(<AppRoutes />, { route: '/alerts' });
    expect(await screen.findByText('The database is unavailable')).toBeTruthy();
  });

  it('shows a webhook given up and an email still retried, with the attempts and the reason', async () => {
    stubApi(
      () =>
        Response.json([
          {
            ...open,
            notifications: [
              {
                kind: 'FAILURE',
                channel: 'EMAIL',
                recipient: 'it@oak.example',
                status: 'SENT',
                attempts: 1,
                lastError: null,
                nextAttemptAt: null,
                sentAt: '2025-03-01T08:01:00Z',
              },
              {
                kind: 'FAILURE',
                channel: 'WEBHOOK',
                recipient: 'https://hooks.slack.com/\u2026',
                status: 'GIVEN_UP',
                attempts: 12,
                lastError: 'connection refused',
                nextAttemptAt: null,
                sentAt: null,
              },
              {
                kind: 'FAILURE',
                channel: 'EMAIL',
                recipient: 'pm@oak.example',
                status: 'PENDING',
                attempts: 2,
                lastError: 'timed out reaching the mail server',
                nextAttemptAt: '2025-03-01T08:05:00Z',
                sentAt: null,
              },
            ],
          },
        ]),
      { me: practiceManager },
    );
    renderWithProviders(<AppRoutes />, { route: '/alerts' });
    const problems = await screen.findAllByTestId('delivery-problem');
    expect(problems.map((p) => p.textContent)).toEqual([
      'Webhook https://hooks.slack.com/\u2026: failed after 12 attempts (connection refused); not tried again',
      'Email to pm@oak.example: not delivered yet after 2 attempts (timed out reaching the mail server); trying again',
    ]);
  });

  it('says a silenced alert was not emailed because the agent is not reporting, and an ordinary one says nothing of it', async () => {
    const silenced: Alert = {
      ...open,
      id: 'a-3',
      ruleId: 'restore-test',
      reason: 'last restore test 9 days ago (limit 8 days)',
      silenced: true,
    };
    stubApi(() => Response.json([open, silenced]), { me: providerAdmin });
    renderWithProviders(<AppRoutes />, { route: '/alerts' });
    await screen.findByTestId('alerts-summary');
    const [ordinary, quiet] = screen.getAllByTestId('alert-row');
    expect(within(ordinary!).queryByTestId('silence-note')).toBeNull();
    expect(within(quiet!).getByTestId('silence-note').textContent).toBe(
      'not emailed: the agent is not reporting (its “not reporting” alert names this check)',
    );
  });
});
