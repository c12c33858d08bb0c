// End to end in headless Debian Chromium: a walk-in applicant registered at the service desk
// and an online applicant on a phone, each taken through every stage by clicking as each role
// would, with axe-core run on every page. SCREENSHOTS=1 also writes docs/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, lastCode, shot, PDF } from '../lib/harness.js';
import { check, staffLogin, logout, socialWorker, expert, officeHead, bank, uploadVia, stateOf } from '../lib/steps.js';
import { paymentFile, visitAndAccelerate, payEveryInstallment } from '../lib/loan_steps.js';

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

test('the public pages work on a phone, in Persian and in English', async () => {
  const page = await newPage(browser, server.base, PHONE);
  await page.goto(server.base + '/');
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  await check(page, 'home');
  await shot(page, 'home-phone');
  await page.getByRole('link', { name: 'English' }).click();
  assert.equal(await page.getAttribute('html', 'dir'), 'ltr');
  await check(page, 'home in English');
  await page.getByRole('link', { name: 'فارسی' }).click();
  await page.goto(server.base + '/track');
  await page.getByLabel('کد رهگیری').fill('۱۲۳۴۵۶۷۸۹۰۱۲');
  await page.getByRole('button', { name: 'پیگیری' }).click();
  await check(page, 'tracking');
  const desktop = await newPage(browser, server.base, DESKTOP);
  await desktop.goto(server.base + '/');
  await shot(desktop, 'home-desktop');
  await desktop.context().close();
  await page.context().close();
});

test('a walk-in applicant goes from the service desk to bank approval', async () => {
  const page = await newPage(browser, server.base, DESKTOP);
  const { base } = server;
  await staffLogin(page, base, 'desk');
  await page.getByRole('link', { name: 'ثبت متقاضی حضوری' }).click();
  await check(page, 'walk-in form');
  await page.getByLabel('کد ملی').fill('۰۰۷۶۲۲۹۶۴۵');
  await page.getByLabel('نام', { exact: true }).fill('زهرا');
  await page.getByLabel('نام خانوادگی').fill('احمدی');
  await page.getByLabel('تاریخ تولد').fill('۱۳۷۰/۰۵/۱۲');
  await page.getByLabel('جنسیت').selectOption('female');
  await page.getByLabel('شمارهٔ همراه').fill('09121234567');
  await page.getByLabel('متقاضی زن سرپرست خانوار است').check();
  await page.getByLabel('تعداد اعضای خانوار').fill('3');
  await page.getByLabel('نوع وام').selectOption('household_business');
  await page.getByLabel('مبلغ درخواستی (تومان)').fill('۱۰۰٬۰۰۰٬۰۰۰');
  await page.getByLabel('عنوان کسب‌وکار').fill('خیاطی خانگی');
  await page.getByRole('button', { name: 'ثبت درخواست' }).click();
  await page.waitForURL(/\/desk\/files\/\d+\?done=registered/);
  await check(page, 'registered file');
  const tracking = (await page.locator('h1 bdi').textContent()).trim();
  for (const kind of ['national_card', 'birth_certificate', 'business_plan']) {
    await page.getByLabel('نوع', { exact: true }).selectOption(kind);
    await uploadVia(page, page.getByLabel('فایل (PDF یا عکس)'), page.getByRole('button', { name: 'بارگذاری' }));
  }
  await check(page, 'documents uploaded');
  await logout(page);

  await socialWorker(page, base, 'زهرا احمدی');
  await expert(page, base, 'زهرا احمدی', 'file-desktop');
  await officeHead(page, base, 'زهرا احمدی');
  await bank(page, base, tracking, { disburse: true, screenshot: 'bank-desktop' });
  await paymentFile(page, base, tracking);
  const fileUrl = await visitAndAccelerate(page, base, 'زهرا احمدی');
  await payEveryInstallment(page, base, fileUrl, tracking);

  await staffLogin(page, base, 'desk');
  await page.goto(base + '/desk');
  await check(page, 'queue at the end');
  await shot(page, 'queue-desktop');
  await page.context().close();
});

test('an online applicant applies on a phone and follows the file to bank approval', async () => {
  const page = await newPage(browser, server.base, PHONE);
  const { base, dir } = server;
  await page.goto(base + '/');
  await page.getByRole('link', { name: 'درخواست وام' }).click();
  await check(page, 'login');
  await page.getByLabel('کد ملی').fill('1583250689');
  await page.getByLabel('شمارهٔ همراه').fill('۰۹۱۲۷۶۵۴۳۲۱');
  await page.getByRole('button', { name: 'دریافت کد' }).click();
  await check(page, 'code step');
  await shot(page, 'login-phone');
  const code = await lastCode(dir, '09127654321');
  await page.getByLabel('کد یک‌بارمصرف').fill(code);
  await page.getByRole('button', { name: 'ورود' }).click();
  await page.waitForURL(/\/portal\/apply/);
  await check(page, 'application form');
  await shot(page, 'apply-phone');
  await page.getByLabel('نام', { exact: true }).fill('مریم');
  await page.getByLabel('نام خانوادگی').fill('کریمی');
  await page.getByLabel('جنسیت').selectOption('female');
  await page.getByLabel('شهرستان').selectOption('07-15');
  await page.getByLabel('نوع وام').selectOption('self_employment');
  await page.getByLabel('مبلغ درخواستی (تومان)').fill('150000000');
  await page.getByLabel('عنوان کسب‌وکار').fill('شیرینی‌پزی خانگی');
  await page.getByRole('button', { name: 'ثبت درخواست' }).click();
  await page.waitForURL(/\/portal\/files\/\d+\?done=registered/);
  await check(page, 'my file');
  const fileUrl = page.url().split('?')[0];
  const tracking = (await page.locator('bdi.code').textContent()).trim();
  for (const name of ['کارت ملی', 'شناسنامه', 'طرح کسب‌وکار']) {
    const item = page.locator('.checklist li').filter({ hasText: name });
    await uploadVia(page, item.locator('input[type=file]'), item.getByRole('button', { name: 'بارگذاری', exact: true }));
  }
  await check(page, 'documents uploaded');
  await shot(page, 'portal-file-phone');

  const staff = await newPage(browser, base, DESKTOP);
  await socialWorker(staff, base, 'مریم کریمی');
  await page.goto(fileUrl);
  assert.match(await page.locator('.now h2').textContent(), /مشاورهٔ شغلی/);
  await expert(staff, base, 'مریم کریمی');
  await officeHead(staff, base, 'مریم کریمی');
  await bank(staff, base, tracking, {});
  await staff.context().close();

  await page.goto(fileUrl);
  await check(page, 'my file after bank approval');
  assert.match(await page.locator('.now h2').textContent(), /تأیید بانک/);
  await page.getByRole('link', { name: 'پیام‌ها' }).click();
  await check(page, 'inbox');
  assert.ok((await page.locator('.messages li').count()) >= 5, 'every stage was announced');
  await shot(page, 'inbox-phone');
  await page.context().close();
});

test('an applicant may withdraw after confirming', async () => {
  const page = await newPage(browser, server.base, PHONE);
  const { base, dir } = server;
  await page.goto(base + '/login');
  await page.getByLabel('کد ملی').fill('0499370899');
  await page.getByLabel('شمارهٔ همراه').fill('09351112233');
  await page.getByRole('button', { name: 'دریافت کد' }).click();
  await page.getByLabel('کد یک‌بارمصرف').fill(await lastCode(dir, '09351112233'));
  await page.getByRole('button', { name: 'ورود' }).click();
  await page.waitForURL(/\/portal\/apply/);
  await page.getByLabel('نام', { exact: true }).fill('علی');
  await page.getByLabel('نام خانوادگی').fill('رضایی');
  await page.getByLabel('جنسیت').selectOption('male');
  await page.getByLabel('شهرستان').selectOption('07-15');
  await page.getByLabel('مبلغ درخواستی (تومان)').fill('50000000');
  await page.getByLabel('عنوان کسب‌وکار').fill('تعمیر موبایل');
  await page.getByRole('button', { name: 'ثبت درخواست' }).click();
  await page.waitForURL(/\/portal\/files\/\d+/);
  await page.getByRole('link', { name: 'انصراف از درخواست' }).click();
  await check(page, 'withdraw confirmation');
  // confirming without a reason changes nothing and says what is missing
  await page.getByRole('button', { name: 'بله، از درخواست انصراف می‌دهم' }).click();
  await check(page, 'withdrawal without a reason');
  await shot(page, 'withdraw-confirm-phone');
  const summary = page.locator('.error-summary');
  assert.match(await summary.textContent(), /دلیل/);
  await summary.getByRole('link').first().click();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'reason', 'the summary leads to the field');
  assert.equal(await page.getByLabel('دلیل').getAttribute('aria-invalid'), 'true');
  assert.match(await page.locator('#reason-error').textContent(), /دلیل/);
  await page.getByLabel('دلیل').fill('کار دیگری پیدا کردم');
  await page.getByRole('button', { name: 'بله، از درخواست انصراف می‌دهم' }).click();
  await page.waitForURL(/done=withdrawn/);
  assert.match(await page.locator('.now h2').textContent(), /انصراف/);
  await page.context().close();
});
