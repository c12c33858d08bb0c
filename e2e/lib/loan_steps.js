// After disbursement, by clicking as each role would: the bank uploads a payment file on the
// bank desk and reads its report; the employment expert records a monitoring visit that
// found the plan not carried out; the office head then proposes accelerating the loan, is
// refused confirming it, and the province admin confirms it (four eyes).
import assert from 'node:assert/strict';
import { jalaliToday, shot } from './harness.js';
import { check, staffLogin, logout, openFromQueue, act, stateOf } from './steps.js';

/** The bank officer uploads a payment file (one good row, one bad) and reads the report. */
export async function paymentFile(page, base, tracking) {
  await staffLogin(page, base, 'bank');
  await page.getByRole('link', { name: 'فایل پرداخت‌ها' }).click();
  await page.waitForURL(/\/bank\/payments/);
  await check(page, 'payment file form');
  const csv = 'contract_number,bank_reference,amount,paid_on\n'
    + `C-${tracking},F-${tracking},۱۰٬۰۰۰,${jalaliToday()}\n`
    + `C-${tracking},G-${tracking},ده هزار,${jalaliToday()}\n`;
  await page.getByLabel('فایل CSV').setInputFiles({
    name: 'payments.csv', mimeType: 'text/csv', buffer: Buffer.from(csv),
  });
  await page.getByRole('button', { name: 'بارگذاری و ثبت' }).click();
  await page.locator('#report-h').waitFor();
  await check(page, 'payment file report');
  const row = (line) => page.locator('tbody tr').filter({ has: page.locator('td', { hasText: new RegExp(`^${line}$`) }) });
  assert.match(await row('۲').textContent(), /ثبت شد/);
  assert.match(await row('۳').textContent(), /پذیرفته نشد/);
  await logout(page);
}

/**
 * The expert records a failed visit; the office head is then offered `accelerate`.
 * Returns the file page's address.
 */
export async function visitAndAccelerate(page, base, name) {
  await staffLogin(page, base, 'head');
  await openFromQueue(page, base, name);
  assert.equal(await page.getByRole('link', { name: 'حالّ کردن دین' }).count(), 0,
    'no acceleration before a failed visit');
  await logout(page);

  await staffLogin(page, base, 'expert');
  await openFromQueue(page, base, name);
  const form = page.locator('form[action$="/visits"]');
  // the yes/no radios are small and sit beside their labels, centred on the same line
  const radios = form.locator('input[type=radio]');
  assert.equal(await radios.count(), 4);
  for (let i = 0; i < 4; i++) {
    const radio = radios.nth(i);
    const box = await radio.boundingBox();
    const label = await form.locator(`label[for="${await radio.getAttribute('id')}"]`).boundingBox();
    assert.ok(box.width <= 32 && box.height <= 32, `radio ${i} is not stretched: ${JSON.stringify(box)}`);
    assert.ok(Math.abs((box.y + box.height / 2) - (label.y + label.height / 2)) <= 6,
      `radio ${i} is centred on its label's line`);
    const gap = Math.min(Math.abs(label.x - (box.x + box.width)), Math.abs(box.x - (label.x + label.width)));
    assert.ok(gap <= 16, `radio ${i} is beside its label (gap ${gap})`);
  }
  await form.getByLabel('تاریخ بازدید').fill(jalaliToday());
  await form.getByRole('group', { name: 'کسب‌وکار دایر است؟' }).getByLabel('خیر').check();
  await form.getByLabel('شمار شاغلان').fill('۰');
  await form.getByRole('group', { name: 'طرح اجرا شده است؟' }).getByLabel('خیر').check();
  await form.getByLabel('یافته‌ها').fill('کارگاه تعطیل است');
  await form.getByRole('button', { name: 'ذخیره' }).click();
  await page.waitForURL(/done=visit/);
  await check(page, 'visit recorded');
  await logout(page);

  await staffLogin(page, base, 'head');
  await openFromQueue(page, base, name);
  // a destructive action: a link to its own page, which asks for the reason
  assert.equal(await page.locator('form[action$="/actions/accelerate"]').count(), 0,
    'no one-click acceleration on the file page');
  await page.getByRole('link', { name: 'حالّ کردن دین' }).click();
  await page.waitForURL(/\/actions\/accelerate$/);
  await check(page, 'acceleration confirmation');
  await shot(page, 'accelerate-confirm-desktop');
  await page.getByRole('button', { name: 'بله، دین حالّ شود' }).click();
  await check(page, 'acceleration without a reason');
  assert.match(await page.locator('.error-summary').textContent(), /دلیل/);
  assert.equal(await page.getByLabel('دلیل').getAttribute('aria-invalid'), 'true');
  await page.getByLabel('دلیل').fill('طرح اجرا نشده است');
  await page.getByRole('button', { name: 'بله، دین حالّ شود' }).click();
  // four eyes: the head's word is a proposal; the file is as it was until a second person confirms
  await page.waitForURL(/done=proposed_accelerate/);
  await check(page, 'acceleration proposed');
  await shot(page, 'proposal-file-pending');
  const before = await stateOf(page);
  assert.notEqual(before, 'وام یکجا قابل مطالبه', 'not accelerated yet');
  assert.match(await page.locator('#proposals').textContent(), /در انتظار تأیید/);
  assert.equal(await page.getByRole('link', { name: 'حالّ کردن دین' }).count(), 0, 'not offered twice');
  const fileUrl = page.url().split('?')[0];
  // the proposer may open it, but confirming is refused with the reason
  await page.locator('#proposals').getByRole('link', { name: 'مشاهدهٔ پیشنهاد' }).click();
  await page.waitForURL(/\/desk\/proposals\/\d+$/);
  await check(page, 'own proposal');
  const proposalUrl = page.url();
  assert.match(await page.locator('#own-hint').textContent(), /شخص دیگری/);
  await page.getByRole('button', { name: 'تأیید و انجام' }).click();
  await page.waitForLoadState('load');
  await check(page, 'proposer cannot confirm');
  assert.match(await page.locator('.error-summary').textContent(), /پیشنهاددهنده نمی‌تواند/);
  await shot(page, 'proposal-proposer-refused');
  await page.goto(fileUrl);
  assert.equal(await stateOf(page), before, 'still not accelerated');
  await logout(page);

  // the province admin finds it among the proposals awaiting confirmation, and confirms it
  await staffLogin(page, base, 'province');
  await page.getByRole('link', { name: 'تأییدهای در انتظار' }).click();
  await page.waitForURL(/\/desk\/proposals$/);
  await check(page, 'proposals awaiting confirmation');
  await shot(page, 'proposal-list');
  await page.locator(`a[href="${new URL(proposalUrl).pathname}"]`).click();
  await page.waitForURL(/\/desk\/proposals\/\d+$/);
  await check(page, 'proposal to confirm');
  await shot(page, 'proposal-confirm');
  await page.getByLabel('یادداشت داخلی (اختیاری)').first().fill('گزارش بازدید دیده شد');
  await page.getByRole('button', { name: 'تأیید و انجام' }).click();
  await page.waitForURL(/done=proposal_confirmed/);
  await check(page, 'proposal confirmed');
  assert.match(await page.locator('#proposal-status').textContent(), /تأیید و انجام شد/);
  await shot(page, 'proposal-confirmed');
  await page.goto(fileUrl);
  assert.equal(await stateOf(page), 'وام یکجا قابل مطالبه');
  await logout(page);
  return fileUrl;
}

/**
 * The bank officer pays every installment still owed, one payment each, typing exactly the
 * amount the file page shows (tomans, Persian digits, the odd rial after «٫» when there is
 * one); after the last one the loan is settled and the file is closed.
 */
export async function payEveryInstallment(page, base, fileUrl, tracking) {
  await staffLogin(page, base, 'bank');
  const rows = page.locator('#loan tbody tr');
  const owed = (k) => rows.nth(k).locator('td').nth(3);
  await page.goto(fileUrl);
  const count = await rows.count();
  assert.ok(count > 1, 'the schedule is shown');
  let payments = 0;
  for (let k = 0; k < count; k++) {
    await page.goto(fileUrl);
    const shown = (await owed(k).textContent()).trim();
    if (shown === '۰ تومان') continue;
    assert.match(shown, /^[۰-۹٬]+(٫[۰-۹])? تومان$/, 'an exact amount in tomans');
    const form = page.locator('form[action*="/payments"]');
    await form.getByLabel('مبلغ پرداختی (تومان)').fill(shown.replace(' تومان', ''));
    await form.getByLabel('تاریخ پرداخت').fill(jalaliToday());
    await form.getByLabel('شمارهٔ پیگیری بانک').fill(`I${k}-${tracking}`);
    await form.getByRole('button', { name: 'ذخیره' }).click();
    await page.waitForURL(/done=paid/);
    assert.equal((await owed(k).textContent()).trim(), '۰ تومان', `installment ${k + 1} settled by what was shown`);
    payments++;
  }
  assert.ok(payments > 1, 'installments were paid');
  await page.goto(fileUrl);
  await check(page, 'file closed by its payments');
  assert.equal(await stateOf(page), 'پایان خدمت');
  for (let k = 0; k < count; k++) assert.equal((await owed(k).textContent()).trim(), '۰ تومان');
  await logout(page);
}
