// Printed documents in headless Debian Chromium: the office head downloads a referred file's
// referral letter from the file page (a real PDF download), its verification code is read
// off the PDF with pdftotext, and an anonymous visitor types that code (Persian digits, as
// printed) into /verify and sees the letter confirmed, with nothing personal on the page;
// a code no letter has gets the Persian 404 answer. SCREENSHOTS=1 writes the verify pages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, launch, newPage, shot } from '../lib/harness.js';
import { check, staffLogin, logout, openFromQueue, socialWorker, expert, officeHead, uploadVia } from '../lib/steps.js';

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

test('a referral letter downloads as PDF and its code is confirmed at /verify', async () => {
  const { base, dir } = server;
  const page = await newPage(browser, base, DESKTOP);
  await staffLogin(page, base, 'desk');
  await page.getByRole('link', { name: 'ثبت متقاضی حضوری' }).click();
  await page.getByLabel('کد ملی').fill('۰۰۷۶۲۲۹۶۴۵');
  await page.getByLabel('نام', { exact: true }).fill('زهرا');
  await page.getByLabel('نام خانوادگی').fill('احمدی');
  await page.getByLabel('تاریخ تولد').fill('۱۳۷۰/۰۵/۱۲');
  await page.getByLabel('جنسیت').selectOption('female');
  await page.getByLabel('شمارهٔ همراه').fill('09121234567');
  await page.getByLabel('تعداد اعضای خانوار').fill('3');
  await page.getByLabel('نوع وام').selectOption('household_business');
  await page.getByLabel('مبلغ درخواستی (تومان)').fill('۱۰۰٬۰۰۰٬۰۰۰');
  await page.getByLabel('عنوان کسب‌وکار').fill('خیاطی خانگی');
  await page.getByRole('button', { name: 'ثبت درخواست' }).click();
  await page.waitForURL(/\/desk\/files\/\d+\?done=registered/);
  const tracking = (await page.locator('h1 bdi').textContent()).trim();
  for (const kind of ['national_card', 'birth_certificate', 'business_plan']) {
    await page.getByLabel('نوع', { exact: true }).selectOption(kind);
    await uploadVia(page, page.getByLabel('فایل (PDF یا عکس)'), page.getByRole('button', { name: 'بارگذاری' }));
  }
  await logout(page);
  await socialWorker(page, base, 'زهرا احمدی');
  await expert(page, base, 'زهرا احمدی');
  await officeHead(page, base, 'زهرا احمدی');

  // the office head downloads the letter from the file page
  await staffLogin(page, base, 'head');
  await openFromQueue(page, base, 'زهرا احمدی');
  const link = page.getByRole('link', { name: 'دریافت معرفی‌نامه (PDF)' });
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  assert.match(download.suggestedFilename(), /^referral-[0-9A-Za-z-]+\.pdf$/);
  const file = path.join(dir, 'letter.pdf');
  await download.saveAs(file);
  assert.equal(readFileSync(file).subarray(0, 5).toString(), '%PDF-');
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-']).toString();
  const printed = /[۰-۹]{4}-[۰-۹]{4}-[۰-۹]{4}-[۰-۹]{4}/.exec(text);
  assert.ok(printed, `a verification code on the letter: ${text}`);
  const letterNumber = download.suggestedFilename().replace(/^referral-/, '').replace(/\.pdf$/, '');
  assert.ok(text.includes(letterNumber), 'the letter number is printed');
  await logout(page);
  await page.context().close();

  // anyone holding the letter checks it, on a phone
  const visitor = await newPage(browser, base, PHONE);
  await visitor.goto(base + '/verify');
  await check(visitor, 'verify form');
  await visitor.getByLabel('کد استعلام نامه').fill(printed[0]);
  await visitor.getByRole('button', { name: 'استعلام' }).click();
  await visitor.waitForLoadState('load');
  await check(visitor, 'verified letter');
  const result = await visitor.locator('#letter').textContent();
  assert.match(result, /معتبر/);
  assert.ok(result.includes(letterNumber), 'the letter number is shown');
  const html = await visitor.content();
  for (const personal of ['زهرا', 'احمدی', '0076229645', '۰۰۷۶۲۲۹۶۴۵', '09121234567', tracking]) {
    assert.ok(!html.includes(personal), `${personal} on the verify page`);
  }
  await shot(visitor, 'verify-phone');
  await visitor.setViewportSize(DESKTOP);
  await shot(visitor, 'verify-desktop');

  // a code no letter has (well formed: its check digit holds)
  await visitor.goto(base + '/verify/0000-0000-0000-0000');
  await check(visitor, 'unknown code');
  assert.match(await visitor.locator('main').textContent(), /هیچ معرفی‌نامه‌ای با این کد استعلام پیدا نشد/);
  await visitor.context().close();
});
