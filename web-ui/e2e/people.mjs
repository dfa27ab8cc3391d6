// Browser test of an invitation: the provider admin alice invites a practice manager for Hilltop Medical Centre on
// the People page; Keycloak's own set-password email reaches the demo mailbox (/demo/mail); the invited person opens
// its link, sets a password on Keycloak's page, signs in to Rampart and sees only Hilltop. Then the platform operator
// oscar signs in and sees only the Providers page. Run by control-plane's PeopleBrowserIT against a running control
// plane with the demo: node e2e/people.mjs <base url> <screenshot dir>
// Drives Debian's chromium through playwright-core; never downloads a browser.
import {
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
import { expectAccessible } from './axe.mjs';

try {
  const address = `hana.${Date.now()}@hilltop.example`;
  const newPassword = 'Hilltop-backups-2026!';

  // 1. alice invites the practice manager of Hilltop
  {
    const { context, page } = await newPage();
    await signIn(page, 'alice');
    await page.getByRole('link', { name: 'People' }).click();
    await page.getByRole('heading', { name: 'People' }).waitFor();
    await page.getByTestId('person-row').first().waitFor({ timeout: 30000 });
    const listed = await page.getByTestId('person-row').allInnerTexts();
    expect(
      `alice's People page lists pat with their practice (${listed.length} people)`,
      listed.some((r) => r.includes('Pat') && r.includes('Harbour Street Surgery')),
    );
    expect('alice sees no one of another provider (olivia)', !listed.some((r) => r.includes('olivia@example.org')));
    await page.getByTestId('person-email').fill(address);
    await page.getByTestId('person-first-name').fill('Hana');
    await page.getByTestId('person-last-name').fill('Okafor');
    await page.getByTestId('person-role').selectOption('practice-manager');
    const practice = page.getByTestId('person-practice');
    await practice
      .locator('option', { hasText: 'Hilltop Medical Centre' })
      .waitFor({ state: 'attached', timeout: 30000 });
    const value = await practice.locator('option', { hasText: 'Hilltop Medical Centre' }).getAttribute('value');
    await practice.selectOption(value);
    await page.getByTestId('invite-button').click();
    await page.getByTestId('invite-result').waitFor({ timeout: 30000 });
    const result = await page.getByTestId('invite-result').innerText();
    expect(`the invitation is sent (${result})`, result.includes('was invited') && result.includes(address));
    await page.locator(`[data-testid="person-row"][data-username="${address}"]`).waitFor({ timeout: 15000 });
    const row = await page.locator(`[data-testid="person-row"][data-username="${address}"]`).innerText();
    expect(
      `the new person is listed as an invited practice manager of Hilltop (${row.replace(/\s+/g, ' ')})`,
      row.includes('Practice manager') && row.includes('Hilltop Medical Centre') && /invited/i.test(row),
    );
    await page.screenshot({ path: `${shots}/people-alice.png`, fullPage: true });
    await expectAccessible(page, 'people, with an invited practice manager (alice)');
    await context.close();
  }

  // 2. Keycloak's email reaches the mailbox; the person follows its link and sets a password on Keycloak's page
  const link = await setPasswordLink(address);
  expect(`Keycloak's set-password email reached the demo mailbox (${link ? link.slice(0, 60) + '…' : 'none'})`, !!link);
  const after = await setPasswordThroughKeycloak(link, newPassword, 'keycloak-set-password.png');
  expect(`Keycloak took the new password (${oneLine(after).slice(0, 80)})`, passwordTaken(after));

  // 3. the invited person signs in to Rampart and sees only Hilltop
  {
    const { context, page } = await newPage();
    await signIn(page, address, newPassword);
    await page
      .getByTestId('signed-in-user')
      .filter({ hasText: 'Practice manager' })
      .waitFor({ timeout: 15000 })
      .catch(() => {});
    const header = await page.getByTestId('signed-in-user').innerText();
    expect(
      `Hana is signed in as a practice manager (${header.replace(/\s+/g, ' ')})`,
      header.includes('Hana') && header.includes('Practice manager'),
    );
    await page.getByTestId('practice-row').first().waitFor({ timeout: 60000 });
    const rows = (await page.getByTestId('practice-row').allInnerTexts()).map((r) => r.replace(/\s+/g, ' '));
    expect(
      `Hana sees exactly Hilltop Medical Centre (${rows.join(' | ')})`,
      rows.length === 1 && rows[0].includes('Hilltop Medical Centre'),
    );
    expect('Hana has no People page', (await page.getByRole('link', { name: 'People' }).count()) === 0);
    await page.screenshot({ path: `${shots}/fleet-invited-practice-manager.png`, fullPage: true });
    await expectAccessible(page, 'the fleet of an invited practice manager');
    await context.close();
  }

  // 4. the platform operator sees the providers, and no fleet
  {
    const { context, page } = await newPage();
    await signIn(page, 'oscar');
    await page.getByRole('heading', { name: 'Providers' }).waitFor({ timeout: 15000 });
    await page.getByTestId('provider-row').first().waitFor({ timeout: 15000 });
    const providers = await page.getByTestId('provider-row').allInnerTexts();
    expect(
      `oscar sees the providers (${providers.length})`,
      providers.some((p) => p.includes('Northwind IT Services')),
    );
    expect('oscar has no Fleet link', (await page.getByRole('link', { name: 'Fleet' }).count()) === 0);
    expect('oscar sees no practice', (await page.getByTestId('practice-row').count()) === 0);
    await page.screenshot({ path: `${shots}/providers-oscar.png`, fullPage: true });
    await expectAccessible(page, 'providers (oscar)');
    await context.close();
  }
} catch (e) {
  failed(e);
}
await finish();
