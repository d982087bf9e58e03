// Drives Aviary's web admin console in headless Chromium as an administrator would: logs in, waits for the dashboard's
// live figures, searches users and locks one, creates one and adds a contact to its roster, destroys a room, finds the created user's session (its owner logs in
// meanwhile) and ends it, reads the audit log, looks at the server page and logs out. Fails on any Content
// Security Policy violation or page error. Used by AdminConsoleEndToEndTest; exits 0 on success.
//
// node admin-console.mjs chromium=/usr/bin/chromium url=http://localhost:8080/admin/ username=admin@localhost \
//   password=... lock=tenant2 create=tenant9 contact=nurse@localhost room=lobby@conference.localhost \
//   screenshots=/path/prefix   (writes prefix-<page>.png)
import fs from 'node:fs';
import path from 'node:path';
import { args, launch } from './chromium.mjs';

const problems = [];
const { page, close } = await launch(args.chromium);
// Console errors (a CSP violation is one) are problems; failed loads are judged by their status below, as the page
// meets 401 before logging in and may meet 404 for a gateway whose last session has just gone.
page.on('console', m => {
  if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
    problems.push(`[console.error] ${m.text()}`);
  }
});
page.on('response', r => {
  if (r.status() >= 500 || r.status() === 403) {
    problems.push(`[response] ${r.status()} ${r.request().method()} ${r.url()}`);
  }
});
page.on('pageerror', e => problems.push(`[pageerror] ${e.message}`));
fs.mkdirSync(path.dirname(args.screenshots), { recursive: true });
const shot = name => page.screenshot({ path: `${args.screenshots}-${name}.png`, fullPage: true });
const step = async (what, action) => {
  try {
    await action();
  } catch (e) {
    throw new Error(`${what}: ${e.message}`);
  }
};

let failed = false;
try {
  await step('open the console', async () => {
    await page.goto(args.url);
    await page.locator('#login-form').waitFor({ state: 'visible', timeout: 15000 });
  });
  await step('a wrong password is refused', async () => {
    await page.fill('#login-username', args.username);
    await page.fill('#login-password', 'not-the-password');
    await page.click('#login-form button[type=submit]');
    await page.locator('#login-error').filter({ hasText: 'wrong credentials' }).waitFor({ timeout: 15000 });
  });
  await shot('login');
  await step('log in', async () => {
    await page.fill('#login-password', args.password);
    await page.click('#login-form button[type=submit]');
    await page.locator('#admin-name').filter({ hasText: args.username }).waitFor({ timeout: 15000 });
  });
  await step('the dashboard shows live figures', async () => {
    await page.waitForFunction(() => /^\d+$/.test(document.getElementById('stat-registered').textContent)
      && Number(document.getElementById('stat-registered').textContent) > 0, null, { timeout: 15000 });
    // The rate needs two readings: it appears after the first refresh.
    await page.waitForFunction(() => /^[\d.]+$/.test(document.getElementById('metric-rate').textContent), null,
      { timeout: 20000 });
  });
  await shot('dashboard');
  await step(`find and lock ${args.lock}`, async () => {
    await page.click('nav button[data-page=users]');
    await page.fill('#user-search-text', args.lock);
    await page.click('#user-search button[type=submit]');
    const row = page.locator('#users-rows tr', { hasText: args.lock + '@' });
    await row.waitFor({ timeout: 15000 });
    await row.getByRole('button', { name: 'Lock', exact: true }).click();
    await row.locator('.locked').waitFor({ timeout: 15000 });
  });
  await step(`create ${args.create}`, async () => {
    await page.fill('#new-username', args.create);
    await page.fill('#new-password', 'created-in-the-console');
    await page.click('#user-create button[type=submit]');
    await page.locator('#user-create-result').filter({ hasText: 'Created ' + args.create + '@' }).waitFor({ timeout: 15000 });
  });
  await step(`add a contact to ${args.create}'s roster`, async () => {
    const row = page.locator('#users-rows tr', { hasText: args.create + '@' });
    await page.fill('#user-search-text', args.create);
    await page.click('#user-search button[type=submit]');
    await row.waitFor({ timeout: 15000 });
    await row.getByRole('button', { name: 'Roster', exact: true }).click();
    await page.locator('#roster-title').filter({ hasText: args.create }).waitFor({ timeout: 15000 });
    await page.fill('#contact-jid', args.contact);
    await page.fill('#contact-name', 'Nurse');
    await page.fill('#contact-groups', 'Household');
    await page.click('#contact-add button[type=submit]');
    await page.locator('#roster-rows tr', { hasText: args.contact }).filter({ hasText: 'Household' })
      .waitFor({ timeout: 15000 });
  });
  await shot('users');
  await step(`see the room ${args.room} and destroy it`, async () => {
    page.once('dialog', dialog => dialog.accept());
    await page.click('nav button[data-page=rooms]');
    const row = page.locator('#rooms-rows tr', { hasText: args.room });
    await row.filter({ hasText: 'public' }).waitFor({ timeout: 15000 });
    await shot('rooms');
    await row.getByRole('button', { name: 'Destroy', exact: true }).click();
    await row.waitFor({ state: 'detached', timeout: 15000 });
  });
  await step(`see ${args.create}'s session once it logs in (the test logs it in with Smack) and end it`, async () => {
    const row = page.locator('#sessions-rows tr', { hasText: args.create + '@' });
    const deadline = Date.now() + 45000;
    while (!(await row.count())) {
      if (Date.now() > deadline) {
        throw new Error('no session appeared');
      }
      await page.waitForTimeout(500);
      // The gateway list as it is now (not the one on the page before the click), then its first gateway's sessions.
      const listed = page.waitForResponse(r => r.url().endsWith('/admin/api/gateways'));
      await page.click('nav button[data-page=sessions]');
      const gateways = await (await listed).json();
      if (gateways.length > 0) {
        const shown = page.waitForResponse(r => r.url().includes('/admin/api/gateways/') && r.url().endsWith('/sessions'));
        await page.locator('#gateways-rows button', { hasText: gateways[0].id }).click();
        await shown;
        await page.locator('#gateway-title').filter({ hasText: gateways[0].id }).waitFor({ timeout: 5000 });
      }
    }
    await shot('sessions');
    await row.getByRole('button', { name: "End user's sessions" }).click();
    // The page goes back to the gateway list; the test sees the Smack connection close.
    await row.waitFor({ state: 'detached', timeout: 15000 });
  });
  await step('read the audit log', async () => {
    await page.click('nav button[data-page=audit]');
    await page.locator('#audit-rows tr', { hasText: 'lock' }).first().waitFor({ timeout: 15000 });
  });
  await shot('audit');
  await step('see the server: health, capabilities and masked configuration', async () => {
    await page.click('nav button[data-page=server]');
    await page.locator('#health-rows tr', { hasText: 'overall' }).waitFor({ timeout: 15000 });
    await page.locator('#capability-rows tr', { hasText: 'roster' }).first().waitFor({ timeout: 15000 });
    await page.locator('#configuration-rows tr', { hasText: 'aviary.admins[0]' }).waitFor({ timeout: 15000 });
  });
  await shot('server');
  await step('log out', async () => {
    await page.click('#logout');
    await page.locator('#login-form').waitFor({ state: 'visible', timeout: 15000 });
  });
  await step('a reload after logging out asks for a login again', async () => {
    await page.reload();
    await page.locator('#login-form').waitFor({ state: 'visible', timeout: 15000 });
  });
} catch (e) {
  failed = true;
  console.error(e.message);
  await shot('failure').catch(() => {});
} finally {
  await close();
}
if (problems.length > 0) {
  console.error('Problems in the page:\n' + problems.join('\n'));
  failed = true;
}
process.exit(failed ? 1 : 0);
