// A file returned for correction is corrected online: the social worker returns it on a
// second step with a reason, the applicant reads the reason on their file page, corrects the
// business details (a blank title is refused the GOV.UK way, nothing is stored) and sends the
// file again; it is back in the social worker's queue.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, lastCode, shot } from '../lib/harness.js';
import { check, staffLogin, logout, openFromQueue, stateOf } from '../lib/steps.js';

const PHONE = { width: 360, height: 740 };
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

test('a returned file is corrected online and sent again', async () => {
  const { base, dir } = server;
  const page = await newPage(browser, base, PHONE);
  await page.goto(base + '/login');
  await page.getByLabel('کد ملی').fill('0499370899');
  await page.getByLabel('شمارهٔ همراه').fill('09351112244');
  await page.getByRole('button', { name: 'دریافت کد' }).click();
  await page.getByLabel('کد یک‌بارمصرف').fill(await lastCode(dir, '09351112244'));
  await page.getByRole('button', { name: 'ورود' }).click();
  await page.waitForURL(/\/portal\/apply/);
  await page.getByLabel('نام', { exact: true }).fill('سارا');
  await page.getByLabel('نام خانوادگی').fill('نوری');
  await page.getByLabel('جنسیت').selectOption('female');
  await page.getByLabel('شهرستان').selectOption('07-15');
  await page.getByLabel('مبلغ درخواستی (تومان)').fill('50000000');
  await page.getByLabel('عنوان کسب‌وکار').fill('کار');
  await page.getByRole('button', { name: 'ثبت درخواست' }).click();
  await page.waitForURL(/\/portal\/files\/\d+/);
  const fileUrl = page.url().split('?')[0];

  // the social worker returns it: a link to a second step, which needs the reason
  const staff = await newPage(browser, base, DESKTOP);
  await staffLogin(staff, base, 'social');
  await openFromQueue(staff, base, 'سارا نوری');
  assert.equal(await staff.locator('form[action$="/actions/return"]').count(), 0, 'no one-click return');
  await staff.getByRole('link', { name: 'برگشت برای اصلاح' }).click();
  await check(staff, 'return confirmation');
  await staff.getByLabel('دلیل').fill('عنوان کسب‌وکار را کامل بنویسید و محل آن را وارد کنید.');
  await staff.getByRole('button', { name: 'بله، پرونده برای اصلاح بازگردانده شود' }).click();
  await staff.waitForURL(/done=act_return/);
  assert.equal(await stateOf(staff), 'نیازمند اصلاح');
  assert.match(await staff.locator('.notice').textContent(), /پیامک/, 'the notice says what happens next');
  await logout(staff);

  // the applicant reads the reason and corrects the file
  await page.goto(fileUrl);
  await check(page, 'file to correct');
  await shot(page, 'portal-correction-phone');
  const section = page.locator('#correction');
  assert.match(await section.textContent(), /عنوان کسب‌وکار را کامل بنویسید/, 'the reason is shown');
  assert.equal(await section.getByLabel('عنوان کسب‌وکار').inputValue(), 'کار', 'prefilled');
  await section.getByLabel('عنوان کسب‌وکار').fill('');
  await section.getByLabel('محل کسب‌وکار').fill('کرج، خیابان اول');
  await section.getByRole('button', { name: 'ذخیره و ارسال دوباره' }).click();
  await check(page, 'refused correction');
  const summary = page.locator('.error-summary');
  assert.match(await summary.textContent(), /عنوان کسب‌وکار/);
  assert.equal(await page.locator('#c-title').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#c-location').inputValue(), 'کرج، خیابان اول', 'typed values kept');
  assert.match(await page.locator('.now h2').textContent(), /نیازمند اصلاح/, 'nothing was sent');
  await page.locator('#c-title').fill('تعمیر و فروش لوازم خانگی');
  await page.getByRole('button', { name: 'ذخیره و ارسال دوباره' }).click();
  await page.waitForURL(/done=resubmitted/);
  await check(page, 'resubmitted');
  await shot(page, 'portal-resubmitted-phone');
  assert.match(await page.locator('.now h2').textContent(), /ثبت‌شده/);
  assert.equal(await page.locator('#correction').count(), 0, 'no correction form any more');

  await staffLogin(staff, base, 'social');
  await openFromQueue(staff, base, 'سارا نوری');
  assert.match(await staff.locator('main').textContent(), /تعمیر و فروش لوازم خانگی/, 'the corrected title');
  await staff.context().close();
  await page.context().close();
});
