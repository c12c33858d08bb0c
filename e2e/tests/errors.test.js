// Every form answers a mistake the GOV.UK way: an error summary on top whose links lead to the
// fields, a message beside each field (aria-invalid, aria-describedby), what was typed kept;
// error pages sit inside the normal layout with a way back to the person's own start page.
// Every page is checked with axe-core (any impact) at 360 px and 1280 px, and for sideways
// scrolling at 360 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, shot } from '../lib/harness.js';
import { check, staffLogin, logout } from '../lib/steps.js';

const PHONE = { width: 360, height: 740 };
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

/** The summary's entries and where each link goes; each linked field is marked and described. */
async function summary(page, label) {
  const box = page.locator('.error-summary');
  assert.equal(await box.count(), 1, `${label}: one error summary`);
  assert.equal(await box.getAttribute('role'), 'alert');
  const focused = await page.evaluate(() => document.activeElement?.classList.contains('error-summary'));
  assert.ok(focused, `${label}: the summary has the focus`);
  const links = await box.locator('a').evaluateAll((as) => as.map((a) => ({ href: a.getAttribute('href'), text: a.textContent })));
  for (const { href, text } of links) {
    const id = href.slice(1);
    const field = page.locator(`[id="${id}"]`);
    assert.equal(await field.count(), 1, `${label}: the link ${href} leads to a field`);
    assert.equal(await field.getAttribute('aria-invalid'), 'true', `${label}: ${href} is marked`);
    const described = (await field.getAttribute('aria-describedby')) || '';
    assert.ok(described.split(' ').includes(`${id}-error`), `${label}: ${href} is described by its message`);
    const message = (await page.locator(`[id="${id}-error"]`).textContent()).trim();
    assert.ok(message.length > 0 && text.includes(message.replace(/^(خطا:|Error:)\s*/, '')),
      `${label}: the summary repeats the field's message (${text} / ${message})`);
    assert.doesNotMatch(text, /[a-z]+_[a-z]+:|amount:|applicant\./, `${label}: no internal field names`);
  }
  return links;
}

test('the walk-in form shows each problem at its field and keeps what was typed', async () => {
  const page = await newPage(browser, server.base, PHONE);
  await staffLogin(page, server.base, 'desk');
  await page.goto(server.base + '/desk/register');
  assert.equal(await page.getByLabel('جنسیت').inputValue(), '', 'no gender is chosen for the applicant');
  await page.getByLabel('کد ملی').fill('۰۰۷۶۲۲۹۶۴۶');
  await page.getByLabel('نام', { exact: true }).fill('زهرا');
  await page.getByLabel('مبلغ درخواستی (تومان)').fill('۹۰۰٬۰۰۰٬۰۰۰٬۰۰۰');
  await page.getByRole('button', { name: 'ثبت درخواست' }).click();
  await check(page, 'refused walk-in form');
  const links = await summary(page, 'walk-in form');
  const hrefs = links.map((l) => l.href);
  for (const id of ['#national_id', '#last_name', '#gender', '#mobile', '#business_title']) {
    assert.ok(hrefs.includes(id), `the summary names ${id}: ${hrefs}`);
  }
  assert.ok(hrefs.indexOf('#national_id') < hrefs.indexOf('#last_name')
    && hrefs.indexOf('#last_name') < hrefs.indexOf('#business_title'), `in the form's order: ${hrefs}`);
  assert.match(links.find((l) => l.href === '#national_id').text, /^کد ملی: /);
  assert.equal(await page.getByLabel('نام', { exact: true }).inputValue(), 'زهرا', 'typed values are kept');
  assert.equal(await page.getByLabel('کد ملی').inputValue(), '۰۰۷۶۲۲۹۶۴۶');
  assert.match(await page.title(), /^خطا:/, 'the title says there is a problem');
  await page.locator('.error-summary a[href="#last_name"]').click();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'last_name');
  await shot(page, 'errors-walk-in-phone');
  await page.context().close();
});

test('the amount above a ceiling is quoted in tomans with separators', async () => {
  const page = await newPage(browser, server.base, PHONE);
  await staffLogin(page, server.base, 'desk');
  await page.goto(server.base + '/desk/register');
  await page.getByLabel('نوع وام').selectOption({ index: 0 });
  await page.getByLabel('مبلغ درخواستی (تومان)').fill('۹۰۰٬۰۰۰٬۰۰۰٬۰۰۰');
  await page.getByRole('button', { name: 'ثبت درخواست' }).click();
  const message = await page.locator('#requested_amount-error').textContent();
  assert.match(message, /[۰-۹]{1,3}(٬[۰-۹]{3})+ تومان/, `in tomans with separators: ${message}`);
  assert.doesNotMatch(message, /ریال/);
  await page.context().close();
});

test('login, tracking and staff login forms use the same pattern', async () => {
  const page = await newPage(browser, server.base, PHONE);
  const { base } = server;
  await page.goto(base + '/login');
  await page.getByLabel('کد ملی').fill('123');
  await page.getByLabel('شمارهٔ همراه').fill('0912');
  await page.getByRole('button', { name: 'دریافت کد' }).click();
  await check(page, 'refused login');
  const links = await summary(page, 'login');
  assert.ok(links.some((l) => l.href === '#national_id'), 'the national ID is named');
  assert.equal(await page.getByLabel('کد ملی').inputValue(), '123');

  await page.goto(base + '/track');
  await page.getByLabel('کد رهگیری').fill('12');
  await page.getByRole('button', { name: 'پیگیری' }).click();
  await check(page, 'refused tracking');
  await summary(page, 'tracking');
  assert.equal(await page.getByLabel('کد رهگیری').inputValue(), '12');

  await page.goto(base + '/staff/login');
  await page.getByLabel('نام کاربری').fill('desk');
  await page.getByLabel('گذرواژه').fill('wrong-password');
  await page.getByRole('button', { name: 'ورود' }).click();
  await check(page, 'refused staff login');
  await summary(page, 'staff login');
  assert.equal(await page.getByLabel('نام کاربری').inputValue(), 'desk');
  assert.equal(await page.getByLabel('گذرواژه').inputValue(), '', 'a password is never sent back');
  await page.context().close();
});

test('admin forms mark their fields and keep what was typed', async () => {
  const page = await newPage(browser, server.base, PHONE);
  const { base } = server;
  await staffLogin(page, base, 'admin');
  await page.goto(base + '/admin/staff');
  await check(page, 'staff accounts');
  const form = page.locator('form[action="/admin/staff"]');
  await form.getByLabel('نام کاربری').fill('X');
  await form.getByLabel('گذرواژه').fill('short');
  await form.getByRole('button').click();
  await check(page, 'refused staff account');
  const links = await summary(page, 'staff account');
  assert.ok(links.length >= 1);
  assert.equal(await page.locator('form[action="/admin/staff"]').getByLabel('نام کاربری').inputValue(), 'X');

  await page.goto(base + '/admin/holidays');
  const holiday = page.locator('form[action="/admin/holidays"]');
  await holiday.locator('input:not([type=hidden])').first().fill('۱۴۰۵/۱۳/۴۰');
  await holiday.getByRole('button').click();
  await check(page, 'refused holiday');
  await summary(page, 'holiday');
  await shot(page, 'errors-admin-phone');

  // the income-decile list (national administrator): in the navigation, a report per line
  await page.goto(base + '/admin/programs');
  assert.equal(await page.locator('a[href="/admin/deciles"]').count(), 1, 'deciles in the navigation');
  await page.goto(base + '/admin/deciles');
  await check(page, 'decile list form');
  const upload = async (csv) => {
    await page.getByLabel('فایل CSV').setInputFiles({
      name: 'deciles.csv', mimeType: 'text/csv', buffer: Buffer.from(csv),
    });
    await page.getByRole('button', { name: 'بارگذاری و ثبت' }).click();
    await page.waitForLoadState();
  };
  await upload('national_id,decile\n۱۵۸۳۲۵۰۷۰۰,۳\n1583250701,4\n');
  await page.locator('#report-h').waitFor();
  await check(page, 'decile list report');
  const report = await page.locator('ul.report').textContent();
  assert.match(report, /سطر ۲: دهک ثبت شد/);
  assert.match(report, /سطر ۳: ثبت نشد/);
  await upload('code,decile\n1583250727,2\n');
  await page.locator('.error-summary').waitFor();
  await check(page, 'refused decile list');
  assert.equal(await page.locator('.error-summary').count(), 1, 'the whole file is refused on top');

  // deleting a holiday is a second step: a link to a page that says what happens
  await page.goto(base + '/admin/holidays');
  const add = page.locator('form[action="/admin/holidays"]');
  await add.locator('input:not([type=hidden])').nth(0).fill('۱۴۰۵/۱۲/۲۰');
  await add.locator('input:not([type=hidden])').nth(1).fill('روز آزمون');
  await add.locator('input:not([type=hidden])').nth(2).fill('Test day');
  await add.getByRole('button').click();
  await page.waitForURL(/done=saved/);
  const row = page.getByRole('row').filter({ hasText: 'روز آزمون' });
  assert.equal(await row.locator('form').count(), 0, 'no one-click delete');
  await row.getByRole('link', { name: 'حذف' }).click();
  await page.waitForURL(/\/admin\/holidays\/[0-9-]+\/delete$/);
  await check(page, 'holiday delete confirmation');
  // confirmed without a reason: refused on the same page, nothing deleted
  await page.getByRole('button', { name: 'بله، انجام شود' }).click();
  await page.waitForLoadState('load');
  await summary(page, 'holiday delete without a reason');
  await check(page, 'holiday delete refused');
  await page.getByLabel('دلیل').fill('در تقویم رسمی جابه‌جا شد');
  await page.getByRole('button', { name: 'بله، انجام شود' }).click();
  await page.waitForURL(/done=saved/);
  assert.equal(await page.getByRole('row').filter({ hasText: 'روز آزمون' }).count(), 0, 'deleted after confirming');

  // an account is deactivated on a second step, then cannot log in
  await page.goto(base + '/admin/staff');
  const auditor = page.getByRole('row').filter({ hasText: 'auditor' }).first();
  await auditor.getByRole('link', { name: 'غیرفعال کردن' }).click();
  await page.waitForURL(/\/admin\/staff\/\d+\/active$/);
  await check(page, 'deactivation confirmation');
  await page.getByLabel('دلیل').fill('پایان همکاری');
  await page.getByRole('button', { name: 'بله، انجام شود' }).click();
  await page.waitForURL(/done=saved/);
  const after = page.getByRole('row').filter({ hasText: 'auditor' }).first();
  assert.match(await after.textContent(), /غیرفعال/);
  assert.equal(await after.getByRole('button', { name: 'فعال کردن' }).count(), 1, 'it can be activated again');
  await logout(page);
  await page.context().close();
});

test('error pages sit in the layout and lead back to the person\'s start page', async () => {
  const page = await newPage(browser, server.base, PHONE);
  const { base } = server;
  // pages and the stylesheet travel compressed (brotli, which Chromium accepts)
  const home = await page.goto(base + '/');
  assert.equal(home.headers()['content-encoding'], 'br', 'the page is compressed');
  const css = await page.request.get(base + await page.locator('link[rel=stylesheet]').getAttribute('href'),
    { headers: { 'accept-encoding': 'gzip' } });
  assert.equal(css.headers()['content-encoding'], 'gzip', 'the stylesheet is compressed');
  assert.equal((await page.request.get(base + '/favicon.ico')).status(), 200, 'a favicon');
  assert.equal(await page.locator('script[src*="htmx"]').count(), 0, 'no htmx where it is not used');
  let res = await page.goto(base + '/no/such/page');
  assert.equal(res.status(), 404);
  await check(page, '404 for a visitor');
  assert.match(await page.locator('main').textContent(), /۴۰۴/, 'the status in Persian digits');
  assert.doesNotMatch(await page.locator('main').textContent(), /404/);
  assert.equal(await page.locator('header.top').count(), 1, 'inside the normal layout');
  assert.equal(await page.locator('main a.button').getAttribute('href'), '/');
  await shot(page, 'error-404-phone');

  await staffLogin(page, base, 'bank');
  res = await page.goto(base + '/desk/files/999999');
  assert.equal(res.status(), 404);
  await check(page, '404 for a bank officer');
  assert.equal(await page.locator('main a.button').getAttribute('href'), '/bank', 'back to the bank desk');
  res = await page.goto(base + '/desk/register');
  assert.equal(res.status(), 403);
  await check(page, '403 for a bank officer');
  assert.match(await page.locator('main').textContent(), /۴۰۳/);
  await page.context().close();
});
