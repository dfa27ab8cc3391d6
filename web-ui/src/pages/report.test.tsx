import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppRoutes } from '../App';
import type { MonthlyReport } from '../api/types';
import { problem, providerAdmin, stubApi } from '../test/api';
import { renderWithProviders } from '../test/render';

afterEach(() => vi.unstubAllGlobals());

const report: MonthlyReport = {
  groupId: 'g-coast',
  groupName: 'Coast Group',
  month: '2026-10',
  from: '2026-10-01T00:00:00Z',
  to: '2026-10-31T23:59:59Z',
  generatedAt: '2026-11-26T12:00:00Z',
  practices: 2,
  days: [
    { date: '2026-10-01', overall: 1, rules: { 'nas-copy': 1 } },
    { date: '2026-10-02', overall: 0.5, rules: { 'nas-copy': 0.5 } },
  ],
  failures: [
    {
      practiceId: 'p-oak',
      practiceName: 'Oak, Street Surgery',
      ruleId: 'nas-copy',
      failingFor: 'PT48H',
      episodes: 1,
      stillFailing: false,
    },
  ],
  objectives: [
    {
      practiceId: 'p-oak',
      practiceName: 'Oak, Street Surgery',
      restoreTime: {
        objective: 'PT15M',
        measured: 'PT6M30S',
        measuredAt: '2026-10-20T00:00:00Z',
        met: true,
        source: 'restore-test',
      },
      syncLag: { objective: 'PT15M', measured: null, measuredAt: null, met: null, source: null },
    },
  ],
  planReviews: [{ practiceId: 'p-oak', practiceName: 'Oak, Street Surgery', reviewedAt: null, reviewedBy: null }],
};

const groups = [
  { id: 'g-coast', providerId: 'prov-1', name: 'Coast Group' },
  { id: 'g-city', providerId: 'prov-1', name: 'City Group' },
];

describe('compliance report page', () => {
  it('shows the month of the chosen group: rules, failures, objectives and reviews', async () => {
    const api = stubApi((url) => (url === '/api/groups' ? Response.json(groups) : Response.json(report)), {
      me: providerAdmin,
    });
    renderWithProviders(<AppRoutes />, { route: '/report?group=g-coast&month=2026-10' });
    expect((await screen.findByTestId('report-summary')).textContent).toContain(
      'Coast Group · October 2026 · 2 practices',
    );
    expect(api.calls().map(([url]) => url)).toContain('/api/groups/g-coast/compliance/report?month=2026-10');
    const nas = screen
      .getAllByTestId('report-rule-row')
      .find((row) => row.textContent?.includes('Daily copy on the NAS'))!;
    expect(nas.textContent).toContain('75.0 %');
    expect(nas.textContent).toContain('50.0 %');
    expect(screen.getByTestId('failure-row').textContent).toContain('2 d');
    expect(screen.getByTestId('failure-row').textContent).toContain('Recovered');
    expect(screen.getByTestId('objective-row').textContent).toContain('6 min 30 s of 15 min · met');
    expect(screen.getByTestId('objective-row').textContent).toContain('Not measured (objective 15 min)');
    expect(screen.getByTestId('review-row').textContent).toContain('Never');
  });

  it('downloads the PDF with the bearer token, under the name the server gives', async () => {
    const created: string[] = [];
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: () => 'blob:report', revokeObjectURL: () => {} }));
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      created.push(this.download);
    });
    const api = stubApi(
      (url) => {
        if (url === '/api/groups') return Response.json(groups);
        if (url.includes('report.pdf'))
          return new Response('%PDF-1.4', {
            headers: {
              'Content-Type': 'application/pdf',
              'Content-Disposition': 'attachment; filename="rampart-coast-group-2026-10.pdf"',
            },
          });
        return Response.json(report);
      },
      { me: providerAdmin },
    );
    renderWithProviders(<AppRoutes />, { route: '/report?group=g-coast&month=2026-10' });
    fireEvent.click(await screen.findByTestId('download-pdf'));
    await waitFor(() => expect(created).toEqual(['rampart-coast-group-2026-10.pdf']));
    const pdfCall = api.calls().find(([url]) => url === '/api/groups/g-coast/compliance/report.pdf?month=2026-10')!;
    expect((pdfCall[1].headers as Record<string, string>).Accept).toBe('*/*');
    click.mockRestore();
  });

  it('says in words why the report could not be made', async () => {
    stubApi((url) => (url === '/api/groups' ? Response.json(groups) : problem(400, 'Invalid report request')()), {
      me: providerAdmin,
    });
    renderWithProviders(<AppRoutes />, { route: '/report?month=2026-10' });
    expect(await screen.findByText('Invalid report request')).toBeTruthy();
  });
});
