import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PingUrlView } from '../api/types';
import { providerAdmin, stubApi } from '../test/api';
import { renderWithProviders } from '../test/render';
import { PingUrlPanel } from './PingUrlPanel';

afterEach(() => vi.unstubAllGlobals());

const URL = 'https://rampart.example/ping/0b6f3c1e-8a2d-4c3f-9e1a-7d5b2c4e6f80';
const none: PingUrlView = {
  checkId: 'cloud-copy',
  live: false,
  pingUrl: null,
  createdAt: null,
  createdBy: null,
  lastPingAt: null,
  runStartedAt: null,
  maxRunTimeSeconds: 21600,
  examples: null,
};
const live: PingUrlView = {
  ...none,
  live: true,
  pingUrl: URL,
  createdAt: '2026-11-30T13:00:00Z',
  createdBy: 'alice',
  examples: {
    cron: `30 2 * * * log=$(mktemp) || exit 1; curl -fsS -m 10 --retry 5 -d '' -o /dev/null ${URL}/start`,
    borgmatic: `hooks:\n    healthchecks:\n        ping_url: ${URL}\n`,
    powershell: `Invoke-RestMethod -Uri "${URL}/$LASTEXITCODE" -Method Post -Body $log -TimeoutSec 10`,
  },
};

describe('the ping URL of a reported job', () => {
  it('offers to create one, then shows it with examples for cron, borgmatic and a Windows scheduled task', async () => {
    const api = stubApi((_url, init) => Response.json(init.method === 'POST' ? live : none), { me: providerAdmin });
    renderWithProviders(<PingUrlPanel practiceId="p-oak" checkId="cloud-copy" />);
    expect(await screen.findByText(/no finish within 6 hours/)).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Create a ping URL' }));
    expect((await screen.findByTestId('ping-url')).textContent).toBe(URL);
    expect(screen.getByTestId('ping-example-cron').textContent).toContain(`${URL}/start`);
    expect(screen.getByTestId('ping-example-borgmatic').textContent).toContain(`ping_url: ${URL}`);
    expect(screen.getByTestId('ping-example-powershell').textContent).toContain('Invoke-RestMethod');
    expect(screen.getByRole('button', { name: 'Copy the borgmatic example' })).toBeTruthy();
    await waitFor(() =>
      expect(api.calls().map(([url, init]) => `${init.method ?? 'GET'} ${url}`)).toEqual([
        'GET /api/practices/p-oak/checks/cloud-copy/ping',
        'POST /api/practices/p-oak/checks/cloud-copy/ping',
      ]),
    );
  });
});
