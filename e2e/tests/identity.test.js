// The pages that guard identity: the administrators' second factor (enrolment and a national
// administrator's reset confirmation), the staff contact-change page and the applicant's own
// mobile change (a code to the old mobile). Each page, and each page showing a problem, is
// checked with axe-core (any impact) at 360 px and 1280 px and for sideways scrolling.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, lastCode } from '../lib/harness.js';
import { check, staffLogin, logout, openFromQueue } from '../lib/steps.js';

const PHONE = { width: 360, height: 740 };
const OLD = '09351112255';
const NEW = '09351112266';
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

/** A code for `mobile` other than `previous` (the worker may not have sent it yet). */
async function newCode(dir, mobile, previous) {
  for (let i = 0; i < 100; i++) {
    const code = await lastCode(dir, mobile);
    if (code !== previous) return code;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`no new code for ${mobile}`);
}

test('applicant mobile change, staff contact change and the TOTP reset pages', async () => {
  const { base, dir } = server;
  const page = await newPage(browser, base, PHONE);

  // an applicant registers online, then changes their mobile with a code to the old one
  await page.goto(base + '/login');
  await page.getByLabel('کد ملی').fill('0499370899');
  await page.getByLabel('شمارهٔ همراه').fill(OLD);
  await page.getByRole('button', { name: 'دریافت کد' }).click();
  const login = await lastCode(dir, OLD);
  await page.getByLabel('کد یک‌بارمصرف').fill(login);
  await page.getByRole('button', { name: 'ورود' }).click();
  await page.waitForURL(/\/portal\/apply/);
  await page.getByLabel('نام', { exact: true }).fill('مریم');
  await page.getByLabel('نام خانوادگی').fill('کاظمی');
  await page.getByLabel('جنسیت').selectOption('female');
  await page.getByLabel('شهرستان').selectOption('07-15');
  await page.getByLabel('مبلغ درخواستی (تومان)').fill('50000000');
  await page.getByLabel('عنوان کسب‌وکار').fill('نانوایی خانگی');
  await page.getByRole('button', { name: 'ثبت درخواست' }).click();
  await page.waitForURL(/\/portal\/files\/\d+/);

  await page.getByRole('link', { name: 'تغییر شمارهٔ همراه' }).click();
  await page.waitForURL(/\/portal\/mobile$/);
  await check(page, 'mobile change');
  await page.getByLabel('شمارهٔ همراه تازه').fill('0935');
  await page.getByRole('button', { name: 'فرستادن کد به شمارهٔ فعلی' }).click();
  await page.waitForLoadState('load');
  assert.ok(await page.locator('.error-summary a[href="#mobile-new"]').count(), 'the summary links to the field');
  assert.equal(await page.locator('#mobile-new').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getByLabel('شمارهٔ همراه تازه').inputValue(), '0935', 'what was typed is kept');
  await check(page, 'mobile change, bad mobile');
  await page.getByLabel('شمارهٔ همراه تازه').fill(NEW);
  await page.getByRole('button', { name: 'فرستادن کد به شمارهٔ فعلی' }).click();
  await page.waitForLoadState('load');
  await check(page, 'mobile change, code step');
  const code = await newCode(dir, OLD, login);
  await page.getByLabel('کد پیامک‌شده').fill(code === '000000' ? '111111' : '000000');
  await page.getByRole('button', { name: 'تغییر شمارهٔ همراه' }).click();
  await page.waitForLoadState('load');
  assert.ok(await page.locator('.error-summary a[href="#mobile-code"]').count(), 'a wrong code is named');
  assert.equal(await page.locator('#mobile-code').getAttribute('aria-invalid'), 'true');
  await check(page, 'mobile change, wrong code');
  await page.getByLabel('کد پیامک‌شده').fill(code);
  await page.getByRole('button', { name: 'تغییر شمارهٔ همراه' }).click();
  await page.waitForLoadState('load');
  const said = (await page.locator('.error-summary').allTextContents()).join(' ');
  assert.match(page.url(), /done=mobile-changed/, `the right code changes the mobile: ${said}`);
  assert.match(await page.locator('.notice').textContent(), /شمارهٔ همراه شما تغییر کرد/);
  await check(page, 'mobile changed');
  await logout(page);

  // the desk clerk of the county opens the contact page from the file
  await staffLogin(page, base, 'desk');
  await openFromQueue(page, base, 'مریم کاظمی');
  await page.getByRole('link', { name: 'تغییر مشخصات تماس' }).click();
  await page.waitForURL(/\/desk\/persons\/\d+\/contact/);
  assert.equal(await page.locator('#contact-mobile').inputValue(), NEW, 'the changed mobile is stored');
  await check(page, 'contact change');
  await page.locator('#contact-mobile').fill('09351112277');
  await page.getByRole('button', { name: 'ذخیرهٔ تغییرات' }).click();
  await page.waitForLoadState('load');
  assert.ok(await page.locator('.error-summary a[href="#contact-confirm"]').count(), 'the confirmation is asked for');
  assert.equal(await page.locator('#contact-mobile').inputValue(), '09351112277', 'what was typed is kept');
  await check(page, 'contact change, refused');
  await logout(page);

  // a province administrator enrols; a national administrator opens the reset confirmation
  await staffLogin(page, base, 'province');
  await logout(page);
  await staffLogin(page, base, 'admin');
  await page.goto(base + '/admin/staff');
  const reset = page.locator('[href$="/totp-reset"], [action$="/totp-reset"]').first();
  const target = (await reset.getAttribute('href')) || (await reset.getAttribute('action'));
  await page.goto(base + target);
  await check(page, 'TOTP reset confirmation');
  const form = page.locator(`form[action$="/totp-reset"]`);
  await form.locator('button[type=submit], button:not([type])').first().click();
  await page.waitForLoadState('load');
  assert.ok(await page.locator('.error-summary').count(), 'a reason is needed');
  await check(page, 'TOTP reset confirmation, no reason');
  await logout(page);
  await page.context().close();
});
