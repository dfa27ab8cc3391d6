// Browser tests: people sign in through the real Keycloak (authorization code + PKCE), see
// exactly their tenancy's practices and do their jobs: the provider admin filters the fleet,
// reads a failing rule, acknowledges an alert, changes the policy (refused, then saved) and enrols
// a practice; the group manager reads the policy and downloads the month's report. Screenshots of
// each page go to the screenshot dir. Run by control-plane's WebUiBrowserIT against a running
// control plane with the demo: node e2e/web-ui.mjs <base url> <screenshot dir>
// Drives Debian's chromium through playwright-core; never downloads a browser.
import { readFileSync } from 'node:fs';
import { expectAccessible } from './axe.mjs';
import { base, browser, expect, failed, finish, newPage, shots, signIn } from './lib.mjs';

async function practiceNames(page) {
  // the demo agents report within seconds; wait until the expected rows are there
  await page.getByTestId('practice-row').first().waitFor({ timeout: 60000 });
  return (await page.getByTestId('practice-row').allInnerTexts()).map((row) => row.replace(/\s+/g, ' '));
}

try {
  // the first page anyone sees, before signing in
  {
    const { context, page } = await newPage();
    await page.goto(base + '/');
    await page.getByTestId('sign-in-button').waitFor();
    await expectAccessible(page, 'the sign-in page');
    await context.close();
  }

  const cases = [
    {
      user: 'alice',
      role: 'Provider admin',
      sees: ['Harbour Street Surgery', 'Riverside Family Practice', 'Hilltop Medical Centre', 'Moorland Health Centre'],
      not: ['Bayside Family Clinic'],
    },
    {
      user: 'tom',
      role: 'Technician',
      sees: ['Harbour Street Surgery', 'Riverside Family Practice', 'Hilltop Medical Centre', 'Moorland Health Centre'],
      not: ['Bayside Family Clinic'],
    },
    {
      user: 'pat',
      role: 'Practice manager',
      sees: ['Harbour Street Surgery'],
      not: ['Riverside Family Practice', 'Bayside Family Clinic'],
    },
    {
      user: 'olivia',
      role: 'Provider admin',
      sees: ['Bayside Family Clinic'],
      not: ['Harbour Street Surgery', 'Moorland Health Centre'],
    },
  ];
  for (const c of cases) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, c.user);
    // the role arrives with /api/me, just after the name
    await page
      .getByTestId('signed-in-user')
      .filter({ hasText: c.role })
      .waitFor({ timeout: 15000 })
      .catch(() => {});
    const header = await page.getByTestId('signed-in-user').innerText();
    expect(`${c.user}: header names the role (${header.replace(/\s+/g, ' ')})`, header.includes(c.role));
    const rows = await practiceNames(page);
    for (const name of c.sees)
      expect(
        `${c.user} sees ${name}`,
        rows.some((row) => row.includes(name)),
      );
    for (const name of c.not) expect(`${c.user} does not see ${name}`, !rows.some((row) => row.includes(name)));
    expect(`${c.user} sees exactly ${c.sees.length} practices`, rows.length === c.sees.length);
    await page.screenshot({ path: `${shots}/fleet-${c.user}.png` });
    await expectAccessible(page, `fleet (${c.user})`);
    await context.close();
  }

  // a provider admin opens a failing practice and reads why, then creates an enrolment token
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const page = await context.newPage();
  await signIn(page, 'alice');
  await practiceNames(page);
  await page.getByRole('link', { name: 'Riverside Family Practice' }).click();
  await page.getByRole('heading', { name: 'Riverside Family Practice' }).waitFor();
  // the page refreshes itself; the demo agent's first report arrives within seconds
  await page
    .getByText(/3 days old/)
    .first()
    .waitFor({ timeout: 90000 });
  const text = await page.locator('main').innerText();
  expect('Riverside shows the stale USB copy', /usb-copy/.test(text) && /3 days old/.test(text));
  // the rule is UNKNOWN until the evaluation has read the agent's USB report (within seconds; the page refreshes)
  await page
    .locator('[data-testid="rule-row"][data-rule-id="usb-rotation"]')
    .filter({ hasText: 'not rotated' })
    .waitFor({ timeout: 90000 })
    .catch(() => {});
  const usbRule = await page.locator('[data-testid="rule-row"][data-rule-id="usb-rotation"]').innerText();
  expect(
    `Riverside's failing rule says why in words (${usbRule.replace(/\s+/g, ' ').slice(0, 90)}...)`,
    /Rotated USB drives/.test(usbRule) && /Failing/i.test(usbRule) && /not rotated for 12 days/.test(usbRule),
  );
  await page.screenshot({ path: `${shots}/practice.png`, fullPage: true });
  await expectAccessible(page, `a failing practice (Riverside, alice)`);
  await page.getByTestId('add-agent-button').click();
  const command = await page.getByTestId('enrolment-command').innerText();
  expect(
    `the install one-liner is offered (${command.slice(0, 60)}...)`,
    command.includes(`${base}/install.sh`) && command.includes('--token rpe_'),
  );
  await page.screenshot({ path: `${shots}/add-agent.png` });
  await expectAccessible(page, `the add-agent dialog`);
  await context.close();

  // the provider admin's morning: the counts filter the fleet, the search finds a practice, and
  // the alert inbox takes an acknowledgement with a note
  {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    await signIn(page, 'alice');
    await practiceNames(page);
    await page
      .getByTestId('count-FAIL')
      .filter({ hasText: /^[1-9]\d* failing$/ })
      .waitFor({ timeout: 90000 });
    await page.getByTestId('count-FAIL').click();
    await page.waitForURL(/state=FAIL/);
    // the demo's practices are still being evaluated: the count may grow while we look, so the filtered list
    // must match the count as it stands, whenever both have settled
    await page.waitForFunction(
      () => {
        const failing = Number.parseInt(document.querySelector('[data-testid="count-FAIL"]')?.textContent ?? '', 10);
        const summary = document.querySelector('[data-testid="fleet-summary"]')?.textContent ?? '';
        return failing > 0 && summary.includes(`of ${failing} practice`);
      },
      null,
      { timeout: 60000 },
    );
    await page.locator('[data-testid="fleet-results"][aria-busy="false"]').waitFor();
    const states = await page.getByTestId('practice-row').getByTestId('status-badge').allInnerTexts();
    expect(
      `filtering by "failing" shows only failing practices (${states.join(', ')})`,
      states.length > 0 && states.every((s) => /failing/i.test(s)),
    );
    await page.screenshot({ path: `${shots}/fleet-failing.png` });
    await expectAccessible(page, `the fleet filtered to failing`);
    await page.getByTestId('count-FAIL').click();
    await page.getByLabel('Search').fill('River');
    await page.waitForURL(/q=River/);
    await page.getByTestId('fleet-summary').filter({ hasText: 'of 1 practice' }).waitFor();
    await page.locator('[data-testid="fleet-results"][aria-busy="false"]').waitFor();
    const found = await practiceNames(page);
    expect(
      `searching "River" finds Riverside only (${found.length} row)`,
      found.length === 1 && found[0].includes('Riverside Family Practice'),
    );
    expect('Riverside names the rule it fails', /Rotated USB drives/.test(found[0]));

    await page.getByRole('link', { name: 'Alerts' }).click();
    const riverside = page
      .getByTestId('alert-row')
      .filter({ hasText: 'Riverside Family Practice' })
      .filter({ has: page.getByRole('button') })
      .first();
    await riverside.waitFor({ timeout: 90000 });
    await page.screenshot({ path: `${shots}/alerts.png` });
    await expectAccessible(page, `alerts`);
    await riverside.getByRole('button', { name: /Acknowledge/ }).click();
    await page.getByLabel(/Note for the others/).fill('swapping the drive today');
    await expectAccessible(page, 'the acknowledge dialog');
    await page.getByRole('dialog').getByRole('button', { name: 'Acknowledge' }).click();
    await page.getByTestId('alert-owner').filter({ hasText: 'swapping the drive today' }).waitFor();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    expect(
      'an alert is acknowledged with a note, and shows who is on it',
      (await page.getByTestId('alert-owner').filter({ hasText: 'swapping the drive today' }).innerText()).startsWith(
        'alice',
      ),
    );
    await page.screenshot({ path: `${shots}/alert-acknowledged.png` });
    await expectAccessible(page, `alerts after an acknowledgement`);
    await context.close();
  }

  // the provider admin changes Coastal's policy: a threshold the server refuses, then a valid change
  {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    await signIn(page, 'alice');
    await page.getByRole('link', { name: 'Policy' }).click();
    await page.goto(`${base}/policy?group=00000000-0000-4000-8000-000000000010`); // Coastal Medical Group
    const ups = page.locator('[data-testid="policy-rule"][data-rule-id="ups"]');
    await ups.waitFor();
    const field = ups.getByLabel('Self test every');
    await field.fill('soon');
    await page.getByRole('button', { name: 'Save as a new version' }).click();
    await page.getByTestId('policy-error').waitFor();
    const fieldError = await ups.locator('.mantine-TextInput-error').first().innerText();
    expect(`a refused threshold is explained under its field (${fieldError})`, fieldError.length > 0);
    await page.screenshot({ path: `${shots}/policy-refused.png`, fullPage: true });
    await expectAccessible(page, `the policy with a refused field`);
    await field.fill('P60D');
    await page.getByLabel(/Why/).fill('the insurer asks for a self-test every 60 days');
    await page.getByRole('button', { name: 'Save as a new version' }).click();
    await page.getByTestId('policy-saved').waitFor();
    await page
      .getByTestId('policy-version-row')
      .filter({ hasText: 'the insurer asks for a self-test every 60 days' })
      .waitFor();
    expect('a valid change is saved as a new version, with who and why', true);
    await page.screenshot({ path: `${shots}/policy-saved.png`, fullPage: true });
    await expectAccessible(page, `the policy saved`);

    // and enrols a new practice: the one-liners are there at once
    await page.getByRole('link', { name: 'Fleet' }).click();
    await page.getByTestId('add-practice-button').click();
    await page.getByLabel('Practice name').fill('Lighthouse Surgery');
    await expectAccessible(page, 'the add-practice dialog');
    await page.getByRole('button', { name: 'Add and enrol its agent' }).click();
    await page.getByRole('heading', { name: 'Lighthouse Surgery' }).waitFor();
    const linux = await page.getByTestId('enrolment-command').innerText();
    const windows = await page.getByTestId('enrolment-command-windows').innerText();
    expect(
      'a new practice offers the Linux and Windows install commands',
      linux.includes(`${base}/install.sh`) && windows.includes('install.ps1') && windows.includes('rpe_'),
    );
    const watching = await page.getByTestId('agent-watch').innerText();
    expect(`the dialog watches for the agent (${watching})`, /Waiting for the agent/.test(watching));
    await page.screenshot({ path: `${shots}/enrol.png` });
    await expectAccessible(page, `the enrolment dialog of a new practice`);
    await context.close();
  }

  // every other page of the navigation, each read by axe-core once its data are shown: a provider admin sees them all
  {
    const { context, page } = await newPage();
    await signIn(page, 'alice');
    await practiceNames(page);
    const pages = [
      ['Alerts', 'Alerts'],
      ['Compliance report', 'Compliance report'],
      ['Notifications', 'Notifications'],
      ['Checks', 'Checks'],
      ['Audit log', 'Audit log'],
      ['People', 'People'],
      ['Groups and practices', 'Groups and practices'],
    ];
    for (const [link, heading] of pages) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link, exact: true }).click();
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      await expectAccessible(page, `${link.toLowerCase()} (alice)`);
    }
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alerts', exact: true }).click();
    await page.getByRole('tab', { name: 'Resolved' }).click();
    await expectAccessible(page, 'resolved alerts (alice)');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Fleet', exact: true }).click();
    await page.getByRole('link', { name: 'Coastal Medical Group' }).first().click();
    await page.getByRole('heading', { name: 'Coastal Medical Group', level: 1 }).waitFor();
    await expectAccessible(page, "a group's page (Coastal, alice)");
    await page.goto(base + '/no-such-page');
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    await expectAccessible(page, 'page not found');
    await context.close();
  }

  // the group manager: their group's practices and report, the policy to read, no enrolment or policy editing.
  // Her browser is in the zone furthest ahead (UTC+14): the review dated her today must be accepted at any hour.
  {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 1000 },
      timezoneId: 'Pacific/Kiritimati',
    });
    const page = await context.newPage();
    await signIn(page, 'grace');
    const rows = await practiceNames(page);
    expect(
      `grace sees Coastal's practices only (${rows.length})`,
      rows.some((r) => r.includes('Harbour Street Surgery')) && !rows.some((r) => r.includes('Moorland Health Centre')),
    );
    expect('grace has no "Add a practice"', (await page.getByTestId('add-practice-button').count()) === 0);
    expect('grace has no audit log link', (await page.getByRole('link', { name: 'Audit log' }).count()) === 0);
    await page.getByRole('link', { name: 'Harbour Street Surgery' }).click();
    await page.getByRole('heading', { name: 'Harbour Street Surgery' }).waitFor();
    await page.locator('[data-testid="rule-row"]').first().waitFor({ timeout: 60000 });
    expect('grace cannot add an agent', (await page.getByTestId('add-agent-button').count()) === 0);
    await page.getByTestId('record-review-button').click();
    await page.getByLabel('Note').fill('walked through the restore procedure with the practice manager');
    await expectAccessible(page, 'the record-review dialog (grace)');
    await page.getByRole('dialog').getByRole('button', { name: 'Record' }).click();
    await page.getByTestId('review-row').filter({ hasText: 'walked through the restore procedure' }).waitFor();
    expect('grace records a review of the backup plan', true);
    await page.getByRole('link', { name: 'Policy' }).click();
    await page.locator('[data-testid="policy-rule"]').first().waitFor();
    expect(
      'grace reads the policy but cannot save it',
      (await page.getByRole('button', { name: 'Save as a new version' }).count()) === 0 &&
        (await page.getByText('only provider admins change the policy').count()) === 1,
    );
    await page.screenshot({ path: `${shots}/policy-grace.png`, fullPage: true });
    await expectAccessible(page, `the policy, read-only (grace)`);
    await page.getByRole('link', { name: 'Compliance report' }).click();
    await page.getByTestId('report-summary').waitFor({ timeout: 30000 });
    const summary = await page.getByTestId('report-summary').innerText();
    expect(`grace's report is Coastal's (${summary})`, summary.includes('Coastal Medical Group'));
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-pdf').click()]);
    const path = `${shots}/${file.suggestedFilename()}`;
    await file.saveAs(path);
    const head = readFileSync(path).subarray(0, 5).toString();
    expect(
      `the PDF report downloads (${file.suggestedFilename()}, starts ${head})`,
      head === '%PDF-' && file.suggestedFilename().endsWith('.pdf'),
    );
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-csv').click()]);
    const csvPath = `${shots}/${csv.suggestedFilename()}`;
    await csv.saveAs(csvPath);
    expect(
      'the CSV report downloads with a header of dates and rules',
      readFileSync(csvPath, 'utf8').startsWith('date,overall,'),
    );
    await page.screenshot({ path: `${shots}/report.png`, fullPage: true });
    await expectAccessible(page, `the compliance report (grace)`);
    await context.close();
  }

  // a tablet: the fleet still reads, the table scrolls sideways rather than squeezing
  {
    const context = await browser.newContext({
      viewport: { width: 820, height: 1180 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    await signIn(page, 'alice');
    await practiceNames(page);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(`on a tablet the page itself does not scroll sideways (${overflow} px)`, overflow <= 0);
    await page.screenshot({ path: `${shots}/fleet-tablet.png`, fullPage: true });
    await expectAccessible(page, `the fleet on a tablet`);
    await context.close();
  }
} catch (e) {
  failed(e);
}
await finish();
