// Accessibility in the browser scripts: axe-core (Deque's engine, the npm package axe-core) runs the WCAG 2.1 A and AA
// rules on the page as Chromium rendered it, and every violation is a FAIL line that names the rule, the page and the
// offending elements (their CSS selector, their text and, for contrast, the two colours and the ratio), so that a
// person can find and fix it.
//
// The script is evaluated through the DevTools protocol rather than added as a <script> tag: the control plane's
// Content-Security-Policy (script-src 'self') rightly refuses inline scripts, and the check must not weaken it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect, oneLine } from './lib.mjs';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core'), 'utf8');

/** The axe-core tags of WCAG 2.0 and 2.1, levels A and AA. */
export const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** At most this many elements are named per rule (AXE_NAMED=1000 names them all); the count says how many there are. */
const NAMED_PER_RULE = Number(process.env.AXE_NAMED ?? 12);

/** What the web UI's LoadingState says while a page's data are on their way (components/QueryStates.tsx). */
const LOADING = /^(Loading|Checking your sign-in|Starting Rampart|Signing you in)/;

/**
 * The WCAG 2.1 AA violations on the page as it is now: [{ id, impact, help, helpUrl, nodes: [{ target, text,
 * detail }] }], where target is the element's CSS selector, text its visible text (or its HTML when it has none) and
 * detail what axe measured (for colour contrast: "3.32:1, #868e96 on #ffffff, needs 4.5:1").
 */
export async function axeViolations(page) {
  // the page's data first (no "Loading…" state left), and CSS transitions (a dialog fading in) would be measured
  // half-way: let the finite ones end
  await page.waitForFunction(
    (loading) =>
      ![...document.querySelectorAll('[role="status"]')].some((s) => new RegExp(loading).test(s.textContent.trim())) &&
      document
        .getAnimations()
        .every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().endTime === Infinity),
    LOADING.source,
    { timeout: 30000 },
  );
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  return page.evaluate(async (tags) => {
    const results = await window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    const measured = (node) => {
      const check = [...node.any, ...node.all, ...node.none].find((c) => c.data && c.data.contrastRatio);
      if (!check) return node.failureSummary?.split('\n').slice(1).join(' ').trim() ?? '';
      const { contrastRatio, fgColor, bgColor, expectedContrastRatio, fontSize, fontWeight } = check.data;
      return `${contrastRatio}:1, ${fgColor} on ${bgColor}, needs ${expectedContrastRatio} (${fontSize} ${fontWeight})`;
    };
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((node) => {
        const selector = node.target.map((t) => (Array.isArray(t) ? t.join(' >> ') : t)).join(' >> ');
        const element = node.target.length === 1 ? document.querySelector(node.target[0]) : null;
        const text = element?.innerText?.trim() || element?.getAttribute('aria-label') || node.html;
        return { target: selector, text, detail: measured(node) };
      }),
    }));
  }, WCAG_21_AA);
}

/**
 * Checks the page as it is now and prints one "ok" line, or a FAIL line per violated rule followed by the elements
 * (DemoInChromium fails the test on any FAIL line). {@code where} names the page and its state, e.g. "fleet (alice)".
 * Returns the number of violating elements.
 */
export async function expectAccessible(page, where) {
  const violations = await axeViolations(page);
  if (violations.length === 0) {
    expect(`accessible (axe-core, WCAG 2.1 AA): ${where}`, true);
    return 0;
  }
  let elements = 0;
  for (const v of violations) {
    elements += v.nodes.length;
    expect(`axe ${v.id} on ${where}: ${v.nodes.length} element(s): ${v.help} (${v.impact}; ${v.helpUrl})`, false);
    for (const node of v.nodes.slice(0, NAMED_PER_RULE))
      console.log(`       ${node.target}  "${oneLine(node.text).slice(0, 80)}"  ${node.detail}`);
    if (v.nodes.length > NAMED_PER_RULE) console.log(`       ... and ${v.nodes.length - NAMED_PER_RULE} more`);
  }
  return elements;
}
