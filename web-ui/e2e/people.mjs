// Browser test of an invitation: the provider admin alice invites a practice manager for Hilltop Medical Centre on
// the People page; Keycloak's own set-password email reaches the demo mailbox (/demo/mail); the invited person opens
// its link, sets a password on Keycloak's page, signs in to Rampart and sees only Hilltop. Then the platform operator
// oscar signs in and sees only the Providers page. Run by control-plane's PeopleBrowserIT against a running control
// plane with the demo: node e2e/people.mjs <base url> <screenshot dir>
// Drives Debian's chromium through playwright-core; never downloads a browser.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

const [base, shots = 'target/e2e'] = process.argv.slice(2);
mkdirSync(shots, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const failures = [];
const started = Date.now();
function expect(what, ok) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
}

async function signIn(page, user, password = 'rampart-demo') {
  await page.goto(base + '/');
  await page.getByTestId('sign-in-button').click();
  await page.waitForURL(/\/realms\/rampart\//);
  await page.fill('#username', user);
  await page.fill('#password', password);
  await page.click('#kc-login');
  await page.waitForURL((url) => url.toString().startsWith(base));
  await page.getByTestId('signed-in-user').waitFor();
}

/** The demo mailbox page shows each email's raw body: undo quoted-printable and HTML escaping to find the link. */
function decode(html) {
  return html
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/&amp;/g, '&');
}

async function setPasswordLink(address) {
  const deadline = Date.now() + 60000;
  while (Date.now() < deadline) {
    const page = decode(await (await fetch(base + '/demo/mail')).text());
    const article = page.split('<article>').find((a) => a.includes(address));
    const link = article && /https?:\/\/[^\s"<>]+\/login-actions\/action-token\?[^\s"<>]+/.exec(article);
    if (link) return link[0];
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return null;
}

try {
  const address = `hana.${Date.now()}@hilltop.example`;
  const newPassword = 'Hilltop-backups-2026!';

  // 1. alice invites the practice manager of Hilltop
  {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    await signIn(page, 'alice');
    await page.getByRole('link', { name: 'People' }).click();
    await page.getByRole('heading', { name: 'People' }).waitFor();
    await page.getByTestId('person-row').first().waitFor({ timeout: 30000 });
    const listed = await page.getByTestId('person-row').allInnerTexts();
    expect(`alice's People page lists pat with their practice (${listed.length} people)`, listed.some((r) => r.includes('Pat') && r.includes('Harbour Street Surgery')));
    expect('alice sees no one of another provider (olivia)', !listed.some((r) => r.includes('olivia@example.org')));
    await page.getByTestId('person-email').fill(address);
    await page.getByTestId('person-first-name').fill('Hana');
    await page.getByTestId('person-last-name').fill('Okafor');
    await page.getByTestId('person-role').selectOption('practice-manager');
    const practice = page.getByTestId('person-practice');
    await practice.locator('option', { hasText: 'Hilltop Medical Centre' }).waitFor({ state: 'attached', timeout: 30000 });
    const value = await practice.locator('option', { hasText: 'Hilltop Medical Centre' }).getAttribute('value');
    await practice.selectOption(value);
    await page.getByTestId('invite-button').click();
    await page.getByTestId('invite-result').waitFor({ timeout: 30000 });
    const result = await page.getByTestId('invite-result').innerText();
    expect(`the invitation is sent (${result})`, result.includes('was invited') && result.includes(address));
    await page.locator(`[data-testid="person-row"][data-username="${address}"]`).waitFor({ timeout: 15000 });
    const row = await page.locator(`[data-testid="person-row"][data-username="${address}"]`).innerText();
    expect(`the new person is listed as an invited practice manager of Hilltop (${row.replace(/\s+/g, ' ')})`,
      row.includes('Practice manager') && row.includes('Hilltop Medical Centre') && /invited/i.test(row));
    await page.screenshot({ path: `${shots}/people-alice.png`, fullPage: true });
    await context.close();
  }

  // 2. Keycloak's email reaches the mailbox; the person follows its link and sets a password on Keycloak's page
  const link = await setPasswordLink(address);
  expect(`Keycloak's set-password email reached the demo mailbox (${link ? link.slice(0, 60) + '…' : 'none'})`, !!link);
  {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    await page.goto(link);
    // Keycloak first asks to confirm (so that a mail scanner opening the link does not use it)
    const proceed = page.getByRole('link', { name: /click here to proceed/i });
    if (await proceed.isVisible({ timeout: 10000 }).catch(() => false)) await proceed.click();
    await page.locator('#password-new').waitFor({ timeout: 30000 });
    await page.screenshot({ path: `${shots}/keycloak-set-password.png`, fullPage: true });
    await page.fill('#password-new', newPassword);
    await page.fill('#password-confirm', newPassword);
    await page.locator('#kc-passwd-update-form [type="submit"]').first().click();
    await page.waitForLoadState('networkidle');
    const after = await page.locator('body').innerText();
    expect(`Keycloak took the new password (${after.replace(/\s+/g, ' ').slice(0, 80)})`,
      /updated|Rampart|Sign in/i.test(after) && !/expired|invalid/i.test(after));
    await context.close();
  }

  // 3. the invited person signs in to Rampart and sees only Hilltop
  {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    await signIn(page, address, newPassword);
    await page.getByTestId('signed-in-user').filter({ hasText: 'Practice manager' }).waitFor({ timeout: 15000 }).catch(() => {});
    const header = await page.getByTestId('signed-in-user').innerText();
    expect(`Hana is signed in as a practice manager (${header.replace(/\s+/g, ' ')})`, header.includes('Hana') && header.includes('Practice manager'));
    await page.getByTestId('practice-row').first().waitFor({ timeout: 60000 });
    const rows = (await page.getByTestId('practice-row').allInnerTexts()).map((r) => r.replace(/\s+/g, ' '));
    expect(`Hana sees exactly Hilltop Medical Centre (${rows.join(' | ')})`, rows.length === 1 && rows[0].includes('Hilltop Medical Centre'));
    expect('Hana has no People page', (await page.getByRole('link', { name: 'People' }).count()) === 0);
    await page.screenshot({ path: `${shots}/fleet-invited-practice-manager.png`, fullPage: true });
    await context.close();
  }

  // 4. the platform operator sees the providers, and no fleet
  {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    await signIn(page, 'oscar');
    await page.getByRole('heading', { name: 'Providers' }).waitFor({ timeout: 15000 });
    await page.getByTestId('provider-row').first().waitFor({ timeout: 15000 });
    const providers = await page.getByTestId('provider-row').allInnerTexts();
    expect(`oscar sees the providers (${providers.length})`, providers.some((p) => p.includes('Northwind IT Services')));
    expect('oscar has no Fleet link', (await page.getByRole('link', { name: 'Fleet' }).count()) === 0);
    expect('oscar sees no practice', (await page.getByTestId('practice-row').count()) === 0);
    await page.screenshot({ path: `${shots}/providers-oscar.png`, fullPage: true });
    await context.close();
  }
} catch (e) {
  failures.push(String(e));
  console.log('FAIL ' + e);
} finally {
  await browser.close();
}
if (failures.length > 0) {
  console.log(`${failures.length} failed`);
  process.exit(1);
}
console.log(`all passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
