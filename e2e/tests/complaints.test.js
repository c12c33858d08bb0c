// A complaint filed on the portal and answered at the desk: the applicant registers, writes
// an appeal-free complaint about their file (a blank text is refused the GOV.UK way and what
// was chosen is kept), sees it waiting with its due day; the county's office head finds it
// on the desk's complaint list, answers it (a missing outcome is refused the same way), and
// the applicant reads the answer on the portal and in the inbox.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, lastCode, shot } from '../lib/harness.js';
import { check, staffLogin, logout } from '../lib/steps.js';

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

test('a complaint filed on the portal is answered at the desk', async () => {
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
  await page.getByLabel('عنوان کسب‌وکار').fill('خیاطی خانگی');
  await page.getByRole('button', { name: 'ثبت درخواست' }).click();
  await page.waitForURL(/\/portal\/files\/\d+/);

  // the complaint page, from the navigation
  await page.goto(base + '/portal');
  await page.getByRole('link', { name: 'شکایت‌ها' }).first().click();
  await page.waitForURL(/\/portal\/complaints/);
  await check(page, 'portal complaints, none yet');
  // an appeal about a file that was not rejected, with no text: both fields are named
  await page.getByLabel('اعتراض به رد درخواست').check();
  await page.getByRole('button', { name: 'ثبت', exact: true }).click();
  await check(page, 'refused complaint');
  const summary = page.locator('.error-summary');
  assert.match(await summary.textContent(), /شرح/);
  assert.match(await summary.textContent(), /اعتراض فقط به پرونده‌ای ممکن است/);
  assert.equal(await page.locator('#complaint-body').getAttribute('aria-invalid'), 'true');
  assert.ok(await page.getByLabel('اعتراض به رد درخواست').isChecked(), 'the choice is kept');
  await shot(page, 'complaint-portal-refused-phone');
  await page.getByLabel('شکایت', { exact: true }).check();
  await page.locator('#complaint-body').fill('دو هفته است کسی به تلفن‌های من دربارهٔ پرونده پاسخ نمی‌دهد.');
  await page.getByRole('button', { name: 'ثبت', exact: true }).click();
  await page.waitForURL(/done=complaint-filed/);
  await check(page, 'complaint filed');
  assert.match(await page.locator('.notice').textContent(), /پیامک/);
  const card = page.locator('.complaints .card').first();
  assert.match(await card.textContent(), /در انتظار پاسخ/);
  assert.match(await card.textContent(), /مهلت پاسخ/);
  await shot(page, 'complaint-portal-filed-phone');

  // the office head answers it at the desk
  const staff = await newPage(browser, base, DESKTOP);
  await staffLogin(staff, base, 'head');
  await staff.getByRole('link', { name: 'شکایت‌ها' }).first().click();
  await staff.waitForURL(/\/desk\/complaints$/);
  await check(staff, 'desk complaints');
  await shot(staff, 'complaint-desk-list');
  await staff.locator('.complaints .card a').first().click();
  await staff.waitForURL(/\/desk\/complaints\/\d+$/);
  await check(staff, 'complaint page');
  await staff.getByLabel(/متن پاسخ/).fill('با کارشناس پرونده صحبت شد؛ این هفته با شما تماس می‌گیرد.');
  await staff.getByRole('button', { name: 'ثبت پاسخ' }).click();
  await check(staff, 'refused answer');
  assert.match(await staff.locator('.error-summary').textContent(), /نتیجه/);
  assert.match(await staff.getByLabel(/متن پاسخ/).inputValue(), /این هفته/, 'the typed answer is kept');
  await staff.getByLabel('پذیرفته شد').check();
  await shot(staff, 'complaint-desk-answer');
  await staff.getByRole('button', { name: 'ثبت پاسخ' }).click();
  await staff.waitForURL(/done=complaint-answered/);
  await check(staff, 'complaint answered');
  assert.match(await staff.locator('main').textContent(), /پاسخ داده شد/);
  assert.equal(await staff.locator('form[action$="/answer"]').count(), 0, 'answered once');
  await logout(staff);
  await staff.context().close();

  // the applicant reads the answer on the portal and in the inbox
  await page.goto(base + '/portal/complaints');
  await check(page, 'answered complaint');
  assert.match(await card.textContent(), /پاسخ داده شد/);
  assert.match(await card.textContent(), /این هفته با شما تماس می‌گیرد/);
  await shot(page, 'complaint-portal-answered-phone');
  await page.goto(base + '/portal/inbox');
  assert.match(await page.locator('main').textContent(), /این هفته با شما تماس می‌گیرد/);
  await page.context().close();
});
