// A household at the desk: the desk clerk records a household by its case number, links two
// members' national IDs, registers the first member's walk-in file, and is refused the
// second member's with a message naming the household's open file (kept as typed); the
// household page lists the members and the open file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, shot } from '../lib/harness.js';
import { check, staffLogin } from '../lib/steps.js';

const DESKTOP = { width: 1280, height: 800 };
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

async function walkIn(page, base, nationalId, name) {
  await page.goto(base + '/desk/register');
  await page.locator('#national_id').fill(nationalId);
  await page.locator('#first_name').fill(name);
  await page.locator('#last_name').fill('کریمی');
  await page.locator('#gender').selectOption('female');
  await page.locator('#mobile').fill('09121112233');
  await page.locator('#county').selectOption('07-15');
  await page.locator('#loan_type').selectOption({ index: 0 });
  await page.locator('#requested_amount').fill('50000000');
  await page.locator('#business_title').fill('قالی‌بافی');
  await page.getByRole('button', { name: 'ثبت درخواست' }).click();
  await page.waitForLoadState('load');
}

test('a household holds one open file; the desk sees which', async () => {
  const { base } = server;
  const page = await newPage(browser, base, DESKTOP);
  await staffLogin(page, base, 'desk');
  await page.getByRole('link', { name: 'خانوارها' }).first().click();
  await page.waitForURL(/\/desk\/households/);
  await check(page, 'households page');
  // a bad size is refused, the case number kept
  await page.locator('#hh-case').fill('۱۴۰۵-۹۰');
  await page.locator('#hh-size').fill('۴۰');
  await page.getByRole('button', { name: 'ثبت خانوار' }).click();
  await check(page, 'refused household');
  assert.match(await page.locator('.error-summary').textContent(), /بُعد خانوار/);
  assert.equal(await page.locator('#hh-case').inputValue(), '۱۴۰۵-۹۰');
  await page.locator('#hh-size').fill('۵');
  await page.getByRole('button', { name: 'ثبت خانوار' }).click();
  await page.waitForURL(/case_number=1405-90/);
  for (const nid of ['0499370899', '0076229645']) {
    await page.locator('#hh-member').fill(nid);
    await page.getByRole('button', { name: 'پیوند عضو به خانوار' }).click();
    await page.waitForURL(/case_number=1405-90/);
  }
  await check(page, 'household with members');

  await walkIn(page, base, '0499370899', 'مریم');
  assert.match(page.url(), /\/desk\/files\/\d+/, 'the first member registers');
  const digits = (t) => t.replace(/[^۰-۹0-9]/g, '').replace(/[۰-۹]/g, (d) => String('۰۱۲۳۴۵۶۷۸۹'.indexOf(d)));
  const fileDigits = digits(await page.locator('main').textContent());
  await walkIn(page, base, '0076229645', 'نرگس');
  await check(page, 'refused second file of the household');
  const summary = await page.locator('.error-summary').textContent();
  assert.match(summary, /خانوار/);
  const named = summary.match(/[۰-۹]{12}/)?.[0];
  assert.ok(named && fileDigits.includes(digits(named)), `the open file is named: ${summary}`);
  assert.equal(await page.locator('#first_name').inputValue(), 'نرگس', 'typed values are kept');
  await shot(page, 'household-refused-registration');

  await page.goto(base + '/desk/households?case_number=1405-90');
  await check(page, 'household with its open file');
  const text = await page.locator('main').textContent();
  assert.match(text, /مریم کریمی/);
  assert.equal(await page.locator('a[href^="/desk/files/"]').count(), 1);
  await shot(page, 'household-desk');
  await page.context().close();
});
