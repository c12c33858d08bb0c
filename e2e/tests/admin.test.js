// The administration's staff accounts in the browser: an account is edited (name, role and
// scope chosen by name from lists, never typed as codes), and the county list is grouped by
// province, starts empty, and narrows to one province's counties when a province is chosen
// (htmx). Every page is checked with axe-core at 360 px and 1280 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, shot } from '../lib/harness.js';
import { check, staffLogin, logout } from '../lib/steps.js';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

/** The labels of the county choice's province groups, and how many counties it offers. */
async function countyChoice(page) {
  return page.locator('#f-county').evaluate((s) => ({
    first: s.options[0].value,
    groups: [...s.querySelectorAll('optgroup')].map((g) => g.label),
    counties: [...s.options].filter((o) => o.value !== '').length,
  }));
}

test('an administrator edits a staff account; the province choice narrows the counties', async () => {
  const page = await newPage(browser, server.base, { width: 1280, height: 800 });
  const { base } = server;
  await staffLogin(page, base, 'admin');
  await page.goto(base + '/admin/staff');
  await check(page, 'staff list');
  const create = page.locator('form[action="/admin/staff"]');
  assert.equal(await create.getByLabel('استان').inputValue(), '', 'no province chosen by default');
  assert.equal(await create.locator('#f-county').inputValue(), '', 'no county chosen by default');
  const row = page.getByRole('row').filter({ hasText: 'desk' }).first();
  await row.getByRole('link', { name: 'ویرایش' }).click();
  await page.waitForURL(/\/admin\/staff\/\d+$/);
  await check(page, 'staff edit');
  await shot(page, 'admin-staff-edit');

  // no JavaScript needed: every county, grouped by province, an empty first choice
  const all = await countyChoice(page);
  assert.equal(all.first, '', 'the county list opens with an empty choice');
  assert.ok(all.groups.length > 1, 'counties are grouped by province');
  const sorted = [...all.groups].sort(new Intl.Collator('fa').compare);
  assert.deepEqual(all.groups, sorted, 'provinces in Persian dictionary order');
  assert.equal(await page.getByLabel('استان').inputValue(), '07', 'the account\'s province');

  // with htmx, choosing a province narrows the county list to that province
  const province = page.getByLabel('استان');
  const tehran = await province.locator('option', { hasText: /^تهران$/ }).first().getAttribute('value');
  await province.selectOption(tehran);
  await page.waitForFunction(() => document.querySelectorAll('#f-county optgroup').length === 1);
  const one = await countyChoice(page);
  assert.deepEqual(one.groups, ['تهران']);
  assert.ok(one.counties < all.counties && one.counties > 0, 'only that province\'s counties');
  await check(page, 'staff edit, counties narrowed');

  // a blank name is refused with the summary; the choices are kept
  await page.getByLabel('نام', { exact: true }).fill('');
  await page.getByLabel('نقش').selectOption('office_head');
  await page.locator('#f-county').selectOption({ index: 1 });
  await page.getByRole('button', { name: 'ذخیره' }).click();
  await page.waitForLoadState('load');
  assert.equal(await page.locator('.error-summary').count(), 1, 'the error summary');
  assert.equal(await page.getByLabel('نقش').inputValue(), 'office_head', 'the role chosen is kept');
  await check(page, 'staff edit refused');

  await page.getByLabel('نام', { exact: true }).fill('مریم احمدی');
  await page.getByRole('button', { name: 'ذخیره' }).click();
  await page.waitForURL(/\/admin\/staff\?done=saved/);
  const changed = page.getByRole('row').filter({ hasText: 'مریم احمدی' });
  assert.equal(await changed.count(), 1, 'the new name is listed');
  assert.match(await changed.textContent(), /رئیس حوزه/, 'with the new role');
  assert.doesNotMatch(await changed.textContent(), /\d\d-\d\d|[۰-۹]{2}-[۰-۹]{2}/, 'the scope by name, not code');
  await check(page, 'staff list after the edit');
  await shot(page, 'admin-staff');
  await logout(page);
  await page.context().close();
});
