// What the browser scripts of e2e/ share: Debian's chromium through playwright-core (never a downloaded browser), the
// "ok"/"FAIL" lines the Java side reads, signing in on Keycloak's page, and following Keycloak's set-password email
// from the demo's mailbox (/demo/mail).
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

/** The control plane's address and the screenshot folder, as DemoInChromium passes them. */
export const [base, shots = 'target/e2e'] = process.argv.slice(2);
mkdirSync(shots, { recursive: true });

export const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});

const failures = [];
const started = Date.now();

/** One expectation: prints "ok   what" or "FAIL what" (DemoInChromium fails the test on any FAIL line). */
export function expect(what, ok) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
  return ok;
}

/** An exception ends the script's steps: it is a failure too. */
export function failed(error) {
  failures.push(String(error));
  console.log('FAIL ' + (error?.stack ?? error));
}

/** Closes the browser and exits 1 on any failure, else prints "all passed" with the time taken. */
export async function finish() {
  await browser.close();
  if (failures.length > 0) {
    console.log(`${failures.length} failed`);
    process.exit(1);
  }
  console.log(`all passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** A fresh browser context (no cookies, no signed-in user) and its page. */
export async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  return { context, page: await context.newPage() };
}

/** Signs in through Keycloak's own page and waits for Rampart's header to name the user. */
export async function signIn(page, user, password = 'rampart-demo') {
  await page.goto(base + '/');
  await page.getByTestId('sign-in-button').click();
  await page.waitForURL(/\/realms\/rampart\//);
  await page.fill('#username', user);
  await page.fill('#password', password);
  await page.click('#kc-login');
  await page.waitForURL((url) => url.toString().startsWith(base));
  await page.getByTestId('signed-in-user').waitFor();
}

/** The text of an element with its white space folded, for messages. */
export function oneLine(text) {
  return text.replace(/\s+/g, ' ').trim();
}

/** The demo mailbox page shows each email's raw body: undo quoted-printable and HTML escaping to find the link. */
function decode(html) {
  return html
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/&amp;/g, '&');
}

/** The link of Keycloak's set-password email to {@code address} in the demo mailbox, or null after a minute. */
export async function setPasswordLink(address) {
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

/**
 * Follows Keycloak's set-password link in a fresh browser and sets the password on Keycloak's page, as the invited
 * person does. Returns the text of the page Keycloak shows after it.
 */
export async function setPasswordThroughKeycloak(link, password, screenshot) {
  const { context, page } = await newPage();
  try {
    await page.goto(link);
    // Keycloak first asks to confirm (so that a mail scanner opening the link does not use it)
    const proceed = page.getByRole('link', { name: /click here to proceed/i });
    if (await proceed.isVisible({ timeout: 10000 }).catch(() => false)) await proceed.click();
    await page.locator('#password-new').waitFor({ timeout: 30000 });
    if (screenshot) await page.screenshot({ path: `${shots}/${screenshot}`, fullPage: true });
    await page.fill('#password-new', password);
    await page.fill('#password-confirm', password);
    await page.locator('#kc-passwd-update-form [type="submit"]').first().click();
    await page.waitForLoadState('networkidle');
    return await page.locator('body').innerText();
  } finally {
    await context.close();
  }
}

/** Whether the page Keycloak shows after the new password says it took it. */
export function passwordTaken(after) {
  return /updated|Rampart|Sign in/i.test(after) && !/expired|invalid/i.test(after);
}
