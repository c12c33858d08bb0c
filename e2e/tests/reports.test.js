// The reports in the browser: a national administrator opens each report (chart beside its
// table, no page scrolling sideways at 360 px, axe-clean at 360 and 1280 px), narrows one with
// a filter, and a mistyped date is refused on the form with the summary focused and the
// typed value kept. The office head's notices page is checked the same way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, shot } from '../lib/harness.js';
import { check, staffLogin, logout } from '../lib/steps.js';

let server;
let browser;

/** Registers a file at the desk through the API, so that the reports have something to count. */
async function register(base, token, nationalId, gender, femaleHead) {
  const res = await fetch(base + '/api/v1/applications', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      program_id: 1, loan_type: 'self_employment', requested_amount: 1500000000,
      applicant: { national_id: nationalId, first_name: 'زهرا', last_name: 'احمدی',
        birth_date: '1370/05/12', gender, mobile: '09121234567', province: '07', county: '07-15',
        female_head_of_household: femaleHead, household_size: 3, beneficiary_status: 'supported' },
      business: { title: 'خیاطی خانگی', activity: 'tailoring', jobs_planned: 2 },
    }),
  });
  assert.equal(res.status, 201, await res.text());
}

before(async () => {
  server = await startServer();
  browser = await launch();
  const login = await fetch(server.base + '/api/v1/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'desk', password: 'vamyar-demo-pass' }),
  });
  const { token } = await login.json();
  await register(server.base, token, '0076229645', 'female', true);
  await register(server.base, token, '1234567891', 'male', false);
});

after(async () => {
  await browser?.close();
  server?.stop();
});

test('a national administrator reads every report, filters one, and mistypes a date', async () => {
  const page = await newPage(browser, server.base, { width: 1280, height: 900 });
  const { base } = server;
  await staffLogin(page, base, 'admin');
  await page.getByRole('link', { name: 'گزارش‌ها' }).first().click();
  await page.waitForURL(/\/reports$/);
  await check(page, 'reports list');
  const links = await page.locator('ul.report-list a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(links, ['/reports/funnel', '/reports/disbursements', '/reports/quotas',
    '/reports/portfolio', '/reports/jobs', '/reports/priority']);

  for (const href of links) {
    await page.goto(base + href);
    const name = href.split('/').pop();
    await check(page, `report ${name}`);
    assert.ok(await page.locator('table').count() > 0 || await page.getByText('چیزی برای نمایش نیست').count() > 0,
      `${name}: a table or a plain "nothing to show"`);
  }

  // the funnel of the demo's files: bars beside the table, in Persian digits, at phone width
  await page.goto(base + '/reports/funnel');
  const chart = page.locator('svg.chart').first();
  assert.ok(await chart.isVisible(), 'the funnel is drawn');
  assert.match(await chart.textContent(), /[۰-۹]/, 'Persian digits in the chart');
  await page.setViewportSize({ width: 360, height: 800 });
  await chart.scrollIntoViewIfNeeded();
  const box = await chart.boundingBox();
  assert.ok(box.width <= 360 && box.width > 300, `the chart fits the phone (${box.width}px)`);
  await shot(page, 'report-funnel-360');
  await page.setViewportSize({ width: 1280, height: 900 });
  await shot(page, 'report-funnel');

  // a filter narrows the report; the address can be shared (the filters fold away until used)
  assert.equal(await page.getByLabel('استان').isVisible(), false, 'the filters start folded');
  await page.getByText('فیلترها', { exact: true }).click();
  await page.getByLabel('استان').selectOption('07');
  await page.getByRole('button', { name: 'نمایش' }).click();
  await page.waitForURL(/province=07/);
  assert.equal(await page.getByLabel('استان').inputValue(), '07');
  const csv = await page.getByRole('link', { name: 'دریافت CSV' }).getAttribute('href');
  assert.match(csv, /province=07/);
  assert.match(csv, /format=csv/);

  // a mistyped date: the summary, focused, linking to the field; what was typed is kept
  await page.getByLabel('از تاریخ').fill('۱۴۰۵/۱۳/۴۰');
  await page.getByRole('button', { name: 'نمایش' }).click();
  await page.waitForLoadState();
  const summary = page.getByRole('alert');
  assert.ok(await summary.isVisible(), 'an error summary');
  assert.equal(await page.getByLabel('از تاریخ').inputValue(), '۱۴۰۵/۱۳/۴۰');
  assert.equal(await page.getByLabel('از تاریخ').getAttribute('aria-invalid'), 'true');
  await check(page, 'report refused filter');
  await shot(page, 'report-refused-filter');
  await logout(page);
});

test('the office head opens the notices page', async () => {
  const page = await newPage(browser, server.base, { width: 1280, height: 800 });
  const { base } = server;
  await staffLogin(page, base, 'head');
  await page.getByRole('link', { name: 'اعلان‌ها' }).first().click();
  await page.waitForURL(/\/desk\/notices$/);
  await check(page, 'notices');
  await shot(page, 'notices');
  await logout(page);
});
