// Browser test of a provider's first day, from nothing: the platform operator oscar creates a provider and invites its
// first admin (Providers page); the admin sets a password through Keycloak's own email (the demo mailbox, /demo/mail),
// signs in to an empty provider, creates a group (Groups and practices), starts its checks from a template (Checks),
// adds a practice, invites its practice manager (People) and enrols an agent by running the install one-liner the
// practice's page shows (unprivileged, under a temporary prefix); the practice manager sets a password the same way,
// signs in and sees only that practice; the practice's rules leave "no data yet" once the agent runs and reports.
// Run by control-plane's OnboardingBrowserIT against a running control plane with the demo:
//   node e2e/onboarding.mjs <base url> <screenshot dir>
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectAccessible } from './axe.mjs';
import {
  base,
  expect,
  failed,
  finish,
  newPage,
  oneLine,
  passwordTaken,
  setPasswordLink,
  setPasswordThroughKeycloak,
  shots,
  signIn,
} from './lib.mjs';

const stamp = Date.now();
const provider = `Lakeside IT ${stamp}`;
const admin = {
  email: `ines.${stamp}@lakeside-it.example`,
  first: 'Ines',
  last: 'Moreau',
  password: 'Lakeside-admin-2026!',
};
const manager = {
  email: `priya.${stamp}@elm-road.example`,
  first: 'Priya',
  last: 'Shah',
  password: 'Elm-Road-backups-2026!',
};
const groupName = 'Lakeside Clinics';
const practiceName = 'Elm Road Surgery';
// the rules whose evidence the agent's checks and calls give; plan-review (a person records it) and contacts are people's
const AGENT_RULES = [
  'db-sync',
  'cloud-copy',
  'nas-copy',
  'usb-rotation',
  'system-image',
  'archive-retention',
  'restore-test',
  'ups',
  'agent-heartbeat',
];
const prefix = mkdtempSync(join(tmpdir(), 'rampart-onboarding-'));
let agent = null;

/** Runs a shell command line as a person would paste it; resolves with its exit code and output. */
function shell(commandLine, timeoutMs = 180000) {
  return new Promise((resolve) => {
    execFile(
      '/bin/sh',
      ['-c', commandLine],
      { timeout: timeoutMs, maxBuffer: 4 << 20, env: { ...process.env, RAMPART_AGENT_HOME: '' } },
      (error, stdout, stderr) => resolve({ code: error ? (error.code ?? 1) : 0, output: stdout + stderr }),
    );
  });
}

/** A link of the main navigation. */
function nav(page, name) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
}

/** The rows of the practice's rules as "rule id: text", once the first evaluation has listed them. */
async function ruleTexts(page) {
  await page.getByTestId('rule-row').first().waitFor({ timeout: 90000 });
  const rows = page.getByTestId('rule-row');
  const texts = [];
  for (let i = 0; i < (await rows.count()); i++) {
    texts.push({ rule: await rows.nth(i).getAttribute('data-rule-id'), text: oneLine(await rows.nth(i).innerText()) });
  }
  return texts;
}

try {
  // 1. the platform operator creates the provider and invites its first admin
  {
    const { context, page } = await newPage();
    await signIn(page, 'oscar');
    await page.getByRole('heading', { name: 'Providers' }).waitFor({ timeout: 15000 });
    await page.getByTestId('provider-name').fill(provider);
    await page.getByRole('button', { name: 'Create provider' }).click();
    const row = page.getByTestId('provider-row').filter({ hasText: provider });
    await row.waitFor({ timeout: 15000 });
    expect(
      `oscar created the provider "${provider}" and it has no admin yet (${oneLine(await row.innerText())})`,
      (await row.innerText()).includes('No admin yet'),
    );
    await row.getByLabel("Admin's email").fill(admin.email);
    await row.getByLabel('First name').fill(admin.first);
    await row.getByLabel('Last name').fill(admin.last);
    await row.getByRole('button', { name: 'Invite admin' }).click();
    const sent = row.getByRole('status');
    await sent.waitFor({ timeout: 30000 });
    expect(
      `oscar is told Keycloak emailed the admin (${await sent.innerText()})`,
      (await sent.innerText()).includes(`Keycloak emailed ${admin.email}`),
    );
    await row.getByText(`${admin.first} ${admin.last} (invited)`).waitFor({ timeout: 15000 });
    expect('the provider lists its admin as invited', true);
    await page.screenshot({ path: `${shots}/onboarding-1-provider.png`, fullPage: true });
    await expectAccessible(page, 'providers, with a new provider and its invited admin (oscar)');
    await context.close();
  }

  // 2. the admin follows Keycloak's email and sets a password
  {
    const link = await setPasswordLink(admin.email);
    expect(`Keycloak's set-password email reached the admin (${link ? link.slice(0, 60) + '…' : 'none'})`, !!link);
    const after = await setPasswordThroughKeycloak(link, admin.password, 'onboarding-2-admin-password.png');
    expect(`Keycloak took the admin's password (${oneLine(after).slice(0, 80)})`, passwordTaken(after));
  }

  // 3. the admin signs in to an empty provider, creates a group, a check set, a practice; invites and enrols
  const { context, page } = await newPage();
  await signIn(page, admin.email, admin.password);
  await page
    .getByTestId('signed-in-user')
    .filter({ hasText: 'Provider admin' })
    .waitFor({ timeout: 15000 })
    .catch(() => {});
  const header = await page.getByTestId('signed-in-user').innerText();
  expect(
    `the admin is signed in as a provider admin (${oneLine(header)})`,
    header.includes(admin.first) && header.includes('Provider admin'),
  );
  const empty = await page.getByTestId('fleet-summary').innerText({ timeout: 30000 });
  expect(
    `the empty provider's fleet says what to do first (${empty})`,
    /no practices yet/i.test(empty) && /group/i.test(empty),
  );
  expect('the empty fleet lists no practice', (await page.getByTestId('practice-row').count()) === 0);
  await page.screenshot({ path: `${shots}/onboarding-3-empty-fleet.png`, fullPage: true });
  await expectAccessible(page, "an empty provider's fleet");

  // a group
  // the empty fleet's own link leads there
  await page.getByTestId('fleet-summary').getByRole('link', { name: 'Groups and practices' }).click();
  await page.getByText('No groups yet').waitFor({ timeout: 15000 });
  await page.getByTestId('new-group-button').click();
  await page.getByRole('dialog').getByLabel('Group name').fill(groupName);
  await expectAccessible(page, 'the new-group dialog');
  await page.getByRole('dialog').getByRole('button', { name: 'Create the group' }).click();
  await page.getByRole('dialog').waitFor({ state: 'hidden' });
  const groupRow = page.getByTestId('group-row').filter({ hasText: groupName });
  await groupRow.waitFor({ timeout: 15000 });
  expect(
    `the group is created (${oneLine(await groupRow.innerText())})`,
    (await groupRow.innerText()).includes('0 live practices'),
  );

  // its checks, from a template
  await nav(page, 'Checks').click();
  await page.getByRole('heading', { name: 'Checks', level: 1 }).waitFor();
  await page.getByText('This group has no checks').waitFor({ timeout: 15000 });
  const templates = page.getByTestId('check-templates');
  await templates.getByLabel('Template', { exact: true }).click();
  await page.getByRole('option', { name: 'Reference: all layers' }).click();
  await templates.getByLabel('Cloud copy with', { exact: true }).click();
  await page.getByRole('option', { name: 'restic' }).click();
  await templates.getByRole('button', { name: 'Apply the template' }).click();
  const saved = await page.getByTestId('checks-saved').innerText({ timeout: 15000 });
  await page.locator('[data-testid="check-row"][data-check-id="cloud-copy"]').waitFor({ timeout: 15000 });
  const checkIds = await page
    .getByTestId('check-row')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-check-id')));
  expect(
    `the template gives the group its checks (${saved}: ${checkIds.join(', ')})`,
    /now has \d+ checks/.test(saved) &&
      ['cloud-copy', 'restore-test', 'nas-copy', 'ups'].every((id) => checkIds.includes(id)),
  );
  const cloud = oneLine(await page.locator('[data-testid="check-row"][data-check-id="cloud-copy"]').innerText());
  expect(
    `the cloud copy is checked with restic, in words (${cloud})`,
    /restic/i.test(cloud) && /every 1 hour/.test(cloud),
  );
  await page.screenshot({ path: `${shots}/onboarding-4-checks.png`, fullPage: true });
  await expectAccessible(page, "checks, a group's from a template");

  // a practice, then its agent
  await nav(page, 'Groups and practices').click();
  await groupRow.getByRole('button', { name: 'Add a practice' }).click();
  await page
    .getByRole('dialog')
    .getByLabel(/Practice name/)
    .fill(practiceName);
  await expectAccessible(page, 'the add-a-practice dialog');
  await page.getByRole('dialog').getByRole('button', { name: 'Add the practice' }).click();
  await page.getByRole('dialog').waitFor({ state: 'hidden' });
  await page.getByRole('link', { name: practiceName }).click();
  await page.getByRole('heading', { name: practiceName, level: 1 }).waitFor({ timeout: 15000 });
  const practiceUrl = page.url();
  expect(
    `the practice's page names its group (${practiceUrl})`,
    (await page.locator('main').innerText()).includes(`Group: ${groupName}`),
  );

  // before any agent: every rule waits for data (not a configuration gap: the template covers every rule)
  await page.locator('[data-testid="rule-row"]').filter({ hasText: 'no data yet' }).first().waitFor({ timeout: 90000 });
  const waiting = await ruleTexts(page);
  for (const r of waiting) console.log(`     before: ${r.rule}: ${r.text}`);
  const agentRulesWaiting = waiting.filter((r) => AGENT_RULES.includes(r.rule));
  expect(
    `before the agent reports, its rules say "no data yet" (${agentRulesWaiting.map((r) => r.rule).join(', ')})`,
    agentRulesWaiting.length === AGENT_RULES.length &&
      agentRulesWaiting.every((r) => /Unknown/i.test(r.text) && /no data yet/.test(r.text)),
  );
  expect('no rule is a configuration gap', (await page.getByTestId('configuration-gap').count()) === 0);
  await expectAccessible(page, 'a new practice waiting for its agent');
  const policyLine = oneLine(
    await page
      .locator('section[aria-labelledby="rules-heading"]')
      .getByText(/evaluated/)
      .last()
      .innerText(),
  );
  expect(
    `the new group's rules name the policy they were evaluated with (${policyLine})`,
    policyLine.startsWith('The reference policy, evaluated'),
  );

  await page.getByTestId('add-agent-button').click();
  const command = await page.getByTestId('enrolment-command').innerText();
  expect(
    `the practice's page shows the install one-liner (${command.slice(0, 70)}…)`,
    command.startsWith(`curl -fsSL ${base}/install.sh | sudo sh -s -- --token rpe_`),
  );
  await page.getByRole('dialog').waitFor();
  await page.screenshot({ path: `${shots}/onboarding-5-add-agent.png`, fullPage: true, animations: 'disabled' });
  await expectAccessible(page, 'the add-agent dialog of a new practice');
  // the one-liner as shown, run without sudo under a temporary prefix (the installer's test mode: no system user, no
  // systemctl, nothing outside the prefix)
  const install = await shell(`${command.replace('| sudo sh ', '| sh ')} --prefix '${prefix}' --no-systemd`);
  expect(
    `the one-liner installs and enrols the agent (exit ${install.code}: ${oneLine(install.output).slice(-160)})`,
    install.code === 0 && install.output.includes('verified') && install.output.includes('enrolled agent'),
  );
  const watch = page.getByTestId('agent-watch');
  await watch.filter({ hasText: 'enrolled' }).waitFor({ timeout: 30000 });
  expect(
    `the open dialog sees the agent enrol (${oneLine(await watch.innerText())})`,
    /enrolled\. Its first report arrives within a minute/.test(await watch.innerText()),
  );
  await page.getByRole('button', { name: 'I have copied it' }).click();
  await page.getByTestId('agent-row').first().waitFor({ timeout: 30000 });

  // the practice manager
  await nav(page, 'People').click();
  await page.getByRole('heading', { name: 'People', level: 1 }).waitFor();
  await page.getByTestId('person-email').fill(manager.email);
  await page.getByTestId('person-first-name').fill(manager.first);
  await page.getByTestId('person-last-name').fill(manager.last);
  await page.getByTestId('person-role').selectOption('practice-manager');
  const practiceSelect = page.getByTestId('person-practice');
  const option = practiceSelect.locator('option', { hasText: practiceName });
  await option.waitFor({ state: 'attached', timeout: 30000 });
  await practiceSelect.selectOption(await option.getAttribute('value'));
  await page.getByTestId('invite-button').click();
  const invited = await page.getByTestId('invite-result').innerText({ timeout: 30000 });
  expect(
    `the practice manager is invited (${invited})`,
    invited.includes('was invited') && invited.includes(manager.email),
  );
  const personRow = page.locator(`[data-testid="person-row"][data-username="${manager.email}"]`);
  await personRow.waitFor({ timeout: 15000 });
  expect(
    `People lists them as an invited practice manager of ${practiceName} (${oneLine(await personRow.innerText())})`,
    /Practice manager/.test(await personRow.innerText()) &&
      (await personRow.innerText()).includes(practiceName) &&
      /invited/i.test(await personRow.innerText()),
  );
  await page.screenshot({ path: `${shots}/onboarding-6-people.png`, fullPage: true });
  await expectAccessible(page, 'people, with an invited practice manager');
  const hint = page.getByTestId('invite-contact-hint');
  expect(
    `the People page says failure emails need a contact (${await hint.innerText()})`,
    (await hint.innerText()).includes(`add them as a contact on the page of ${practiceName}`),
  );
  await hint.getByRole('link', { name: practiceName }).click();
  await page.getByRole('heading', { name: practiceName, level: 1 }).waitFor({ timeout: 15000 });
  for (const contact of [
    { name: `${manager.first} ${manager.last}`, email: manager.email, role: 'Practice manager' },
    { name: `${admin.first} ${admin.last}`, email: admin.email, role: 'IT contact' },
  ]) {
    await page.getByTestId('add-contact-button').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill(contact.name);
    await dialog.getByLabel('Email').fill(contact.email);
    await expectAccessible(page, 'the add-contact dialog');
    await dialog.getByLabel('Role', { exact: true }).click();
    await page.getByRole('option', { name: contact.role }).click();
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 15000 });
    await page
      .locator('section[aria-labelledby="contacts-heading"]')
      .getByText(contact.email)
      .waitFor({ timeout: 15000 });
  }
  expect('the admin adds the practice manager and an IT contact for failure emails', true);

  // the agent runs, as its service would
  agent = spawn(join(prefix, 'usr/local/bin/rampart-agent'), ['run'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, RAMPART_AGENT_HOME: '' },
  });
  let agentLog = '';
  agent.stdout.on('data', (d) => {
    agentLog += d;
  });
  agent.stderr.on('data', (d) => {
    agentLog += d;
  });

  // 4. the practice manager sets a password, signs in and sees only that practice
  const link = await setPasswordLink(manager.email);
  expect(
    `Keycloak's set-password email reached the practice manager (${link ? link.slice(0, 60) + '…' : 'none'})`,
    !!link,
  );
  const after = await setPasswordThroughKeycloak(link, manager.password, 'onboarding-7-manager-password.png');
  expect(`Keycloak took the practice manager's password (${oneLine(after).slice(0, 80)})`, passwordTaken(after));
  {
    const { context, page } = await newPage();
    await signIn(page, manager.email, manager.password);
    await page
      .getByTestId('signed-in-user')
      .filter({ hasText: 'Practice manager' })
      .waitFor({ timeout: 15000 })
      .catch(() => {});
    const header = await page.getByTestId('signed-in-user').innerText();
    expect(
      `the practice manager is signed in as such (${oneLine(header)})`,
      header.includes(manager.first) && header.includes('Practice manager'),
    );
    await page.getByTestId('practice-row').first().waitFor({ timeout: 60000 });
    const rows = (await page.getByTestId('practice-row').allInnerTexts()).map(oneLine);
    expect(
      `the practice manager sees exactly ${practiceName} (${rows.join(' | ')})`,
      rows.length === 1 && rows[0].includes(practiceName),
    );
    expect(
      'the practice manager has no People, Checks or Groups page',
      (await page.getByRole('link', { name: /^(People|Checks|Groups and practices)$/ }).count()) === 0,
    );
    await page.screenshot({ path: `${shots}/onboarding-8-manager-fleet.png`, fullPage: true });
    await expectAccessible(page, "the practice manager's fleet");

    // 5. as the agent reports, the rules leave "no data yet" for a verdict in words
    await page.getByRole('link', { name: practiceName }).click();
    await page.getByRole('heading', { name: practiceName, level: 1 }).waitFor({ timeout: 15000 });
    await page
      .waitForFunction(
        (ids) => {
          const rows = [...document.querySelectorAll('[data-testid="rule-row"]')].filter((r) =>
            ids.includes(r.getAttribute('data-rule-id')),
          );
          return rows.length === ids.length && rows.every((r) => !r.textContent.includes('no data yet'));
        },
        AGENT_RULES,
        { timeout: 120000, polling: 2000 },
      )
      .catch(() => {});
    const verdicts = await ruleTexts(page);
    for (const r of verdicts) console.log(`     after: ${r.rule}: ${r.text}`);
    const agentVerdicts = verdicts.filter((r) => AGENT_RULES.includes(r.rule));
    expect(
      `as the agent reports, its rules leave "no data yet" for a verdict (${
        agentVerdicts
          .filter((r) => /no data yet/.test(r.text))
          .map((r) => r.rule)
          .join(', ') || 'none left waiting'
      })`,
      agentVerdicts.length === AGENT_RULES.length &&
        agentVerdicts.every((r) => !/no data yet/.test(r.text) && /(Failing|At risk|Passing)/i.test(r.text)),
    );
    const cloudRule = verdicts.find((r) => r.rule === 'cloud-copy');
    expect(
      `the cloud copy rule says what to do, in words (${cloudRule?.text})`,
      !!cloudRule &&
        /Failing/i.test(cloudRule.text) &&
        cloudRule.text.includes('set check.cloud-copy.repository=') &&
        cloudRule.text.includes('checks.properties'),
    );
    const image = verdicts.find((r) => r.rule === 'system-image');
    expect(
      `the system image rule says no job has reported yet and what to add (${image?.text})`,
      !!image &&
        /Failing/i.test(image.text) &&
        image.text.includes('no system image job has reported yet: add `rampart-agent report --check system-image'),
    );
    const restore = verdicts.find((r) => r.rule === 'restore-test');
    expect(
      `the restore test rule says it could not run and why (${restore?.text})`,
      !!restore &&
        /Failing/i.test(restore.text) &&
        restore.text.includes('the test restore could not run: ') &&
        restore.text.includes('check.cloud-copy.repository='),
    );
    const heartbeat = verdicts.find((r) => r.rule === 'agent-heartbeat');
    expect(
      `the agent's heartbeat passes (${heartbeat?.text})`,
      !!heartbeat && /Passing/i.test(heartbeat.text) && /last called in/.test(heartbeat.text),
    );
    const contacts = verdicts.find((r) => r.rule === 'contacts');
    expect(
      `the contacts rule passes with the contacts the admin added (${contacts?.text})`,
      !!contacts &&
        /Passing/i.test(contacts.text) &&
        contacts.text.includes('failure emails reach 1 IT contact and the practice manager'),
    );
    const state = await page.getByTestId('practice-reason').innerText();
    expect(
      `the practice's state reads as a verdict (${state})`,
      !/not evaluated yet|no data yet/i.test(state) && state.length > 0,
    );
    await page.screenshot({ path: `${shots}/onboarding-9-manager-practice.png`, fullPage: true });
    await expectAccessible(page, "the practice manager's practice, with verdicts");
    await context.close();
  }
  await context.close();
  if (agentLog && process.env.ONBOARDING_AGENT_LOG) console.log(agentLog);
} catch (e) {
  failed(e);
} finally {
  if (agent && agent.exitCode === null) {
    const exited = new Promise((resolve) => agent.once('exit', resolve));
    agent.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15000))]);
  }
  rmSync(prefix, { recursive: true, force: true });
}
await finish();
