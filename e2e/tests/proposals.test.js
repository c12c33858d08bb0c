// Four eyes in headless Debian Chromium: a walk-in file taken to a disbursed loan; a visit
// finds the plan not carried out; the office head proposes accelerating the loan, may not
// confirm it himself, and the province admin confirms it from the proposals page. axe-core
// runs on every page; SCREENSHOTS=1 writes docs/screenshots/proposal-*.png.
import { test, before, after } from 'node:test';
import { startServer, launch, newPage } from '../lib/harness.js';
import { check, staffLogin, logout, socialWorker, expert, officeHead, bank, uploadVia } from '../lib/steps.js';
import { visitAndAccelerate } from '../lib/loan_steps.js';

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

test('acceleration is proposed by the office head and confirmed by the province admin', async () => {
  const page = await newPage(browser, server.base, DESKTOP);
  const { base } = server;
  await staffLogin(page, base, 'desk');
  await page.getByRole('link', { name: 'ثبت متقاضی حضوری' }).click();
  await page.getByLabel('کد ملی').fill('۰۰۷۶۲۲۹۶۴۵');
  await page.getByLabel('نام', { exact: true }).fill('سارا');
  await page.getByLabel('نام خانوادگی').fill('محمدی');
  await page.getByLabel('تاریخ تولد').fill('۱۳۶۸/۰۲/۰۱');
  await page.getByLabel('جنسیت').selectOption('female');
  await page.getByLabel('شمارهٔ همراه').fill('09121234567');
  await page.getByLabel('تعداد اعضای خانوار').fill('2');
  await page.getByLabel('نوع وام').selectOption('household_business');
  await page.getByLabel('مبلغ درخواستی (تومان)').fill('۱۰۰٬۰۰۰٬۰۰۰');
  await page.getByLabel('عنوان کسب‌وکار').fill('گلدوزی');
  await page.getByRole('button', { name: 'ثبت درخواست' }).click();
  await page.waitForURL(/\/desk\/files\/\d+\?done=registered/);
  const tracking = (await page.locator('h1 bdi').textContent()).trim();
  for (const kind of ['national_card', 'birth_certificate', 'business_plan']) {
    await page.getByLabel('نوع', { exact: true }).selectOption(kind);
    await uploadVia(page, page.getByLabel('فایل (PDF یا عکس)'), page.getByRole('button', { name: 'بارگذاری' }));
  }
  await check(page, 'documents uploaded');
  await logout(page);

  await socialWorker(page, base, 'سارا محمدی');
  await expert(page, base, 'سارا محمدی');
  await officeHead(page, base, 'سارا محمدی');
  await bank(page, base, tracking, { disburse: true });
  await visitAndAccelerate(page, base, 'سارا محمدی');
  await page.context().close();
});
