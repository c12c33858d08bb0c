// What each role does, by clicking as that person would. Every page visited is checked
// with axe-core (no serious or critical violations) and for CSP or off-origin problems.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { axe, overflow, jalaliToday, PDF, shot } from './harness.js';

export const PASSWORD = 'vamyar-demo-pass';

const WIDTHS = [{ width: 360, height: 740 }, { width: 1280, height: 800 }];

/**
 * Checks the page the browser is on at a phone's and a desktop's width: axe-core finds no
 * violation of any impact, nothing scrolls sideways at 360 px, no CSP violation, nothing
 * off-origin. The viewport is put back afterwards.
 */
export async function check(page, label) {
  const before = page.viewportSize();
  for (const size of WIDTHS) {
    await page.setViewportSize(size);
    const violations = await axe(page);
    assert.deepEqual(violations, [], `${label} at ${size.width}px: axe found problems`);
    if (size.width === 360) {
      assert.equal(await overflow(page), 0, `${label}: the page scrolls sideways at 360px`);
    }
  }
  await page.setViewportSize(before);
  assert.deepEqual(page.problems, [], `${label}: CSP or off-origin problems`);
}

/** The RFC 6238 code (SHA-1, six digits, 30-second steps) of a base32 secret at `step`. */
export function totpCode(secret, step) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of secret.replace(/[\s=]/g, '').toUpperCase()) {
    bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  }
  const key = Buffer.from((bits.match(/.{8}/g) || []).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', key).update(counter).digest();
  const at = mac[mac.length - 1] & 0xf;
  const n = (mac.readUInt32BE(at) & 0x7fffffff) % 1_000_000;
  return String(n).padStart(6, '0');
}

/** Administrators' second factors as enrolled in this run: server and username → secret, last step. */
const factors = new Map();

/**
 * A code for `username` of a time step not used before (the server accepts each step once
 * and one step of skew): the current step, or the next one after a login in this step.
 */
function freshCode(username) {
  const f = factors.get(username);
  const now = Math.floor(Date.now() / 30000);
  const step = Math.max(now - 1, f.last + 1);
  assert.ok(step <= now + 1, `${username}: no unused TOTP step left; wait for the next one`);
  f.last = step;
  return totpCode(f.secret, step);
}

/**
 * Enrols the second factor on the enrolment page the server sent an administrator to: shows
 * the GOV.UK error pattern for a wrong code, then confirms with the app's code computed
 * from the secret shown for typing.
 */
export async function enrolTotp(page, username) {
  await check(page, 'TOTP enrolment');
  assert.ok(await page.locator('figure.qr svg').count(), 'the QR code is shown');
  const secret = (await page.locator('#totp-secret').innerText()).replace(/\s/g, '');
  await page.getByLabel('کد شش‌رقمی برنامه').fill('12');
  await page.getByRole('button', { name: 'فعال‌سازی' }).click();
  await page.waitForLoadState('load');
  assert.ok(await page.locator('#error-summary a[href="#totp-code"]').count(), 'the summary links to the field');
  assert.equal(await page.locator('#totp-code').getAttribute('aria-invalid'), 'true');
  await check(page, 'TOTP enrolment, wrong code');
  factors.set(username, { secret, last: 0 });
  await page.getByLabel('کد شش‌رقمی برنامه').fill(freshCode(username));
  await page.getByRole('button', { name: 'فعال‌سازی' }).click();
  await page.waitForLoadState('load');
  if (!/done=totp-enabled/.test(page.url())) {
    const said = await page.locator('#error-summary, .error-summary').allTextContents();
    assert.fail(`TOTP enrolment refused at ${page.url()}: ${said.join(' ')}`);
  }
  await check(page, 'after TOTP enrolment');
}

/** Logs a staff member in from the staff login page (an administrator enrols, or gives a code). */
export async function staffLogin(page, base, username) {
  await page.goto(`${base}/staff/login`);
  await check(page, 'staff login');
  await page.getByLabel('نام کاربری').fill(username);
  await page.getByLabel('گذرواژه').fill(PASSWORD);
  const account = `${base} ${username}`; // each test's server enrols its own accounts
  if (factors.has(account)) {
    await page.getByLabel(/کد برنامهٔ احراز هویت/).fill(freshCode(account));
  }
  await page.getByRole('button', { name: 'ورود' }).click();
  await page.waitForLoadState('load');
  if (new URL(page.url()).pathname === '/staff/totp') await enrolTotp(page, account);
}

/** Logs out with the header's button. */
export async function logout(page) {
  await page.getByRole('button', { name: 'خروج' }).click();
  await page.waitForURL((u) => u.pathname === '/');
}

/** Opens a file from the queue by the applicant's name. */
export async function openFromQueue(page, base, name) {
  await page.goto(`${base}/desk`);
  await check(page, 'queue');
  await page.getByRole('link', { name }).first().click();
  await page.waitForURL(/\/desk\/files\/\d+/);
  await check(page, 'file page');
}

/** Clicks an action's button on the file page and waits for the answer. */
export async function act(page, label) {
  await page.getByRole('button', { name: label, exact: true }).click();
  await page.waitForURL(/done=act_/);
  assert.ok(await page.locator('.notice').count(), `${label}: the page says what changed`);
  await check(page, `after ${label}`);
}

/** The state line of the staff file page. */
export async function stateOf(page) {
  return (await page.locator('.meta .state').textContent()).trim();
}

/** The social worker approves eligibility and accepts every document. */
export async function socialWorker(page, base, name) {
  await staffLogin(page, base, 'social');
  await openFromQueue(page, base, name);
  await act(page, 'تأیید صلاحیت');
  // accept each pending document (htmx swaps the documents section in place)
  const accepts = page.locator('#documents').getByRole('button', { name: 'تأیید', exact: true });
  for (let left = await accepts.count(); left > 0; left--) {
    await accepts.first().click();
    await page.waitForFunction((n) => {
      const buttons = [...document.querySelectorAll('#documents button')].filter((b) => b.textContent.trim() === 'تأیید');
      return buttons.length < n && !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling');
    }, left);
  }
  // the status line follows the in-page updates (out-of-band swap), before any reload
  assert.equal(await stateOf(page), 'مشاورهٔ شغلی', 'the status line is not stale');
  await page.reload();
  assert.equal(await stateOf(page), 'مشاورهٔ شغلی');
  await check(page, 'documents accepted');
  await logout(page);
}

/** The employment expert records a session and the plan review, then approves the plan. */
export async function expert(page, base, name, screenshot) {
  await staffLogin(page, base, 'expert');
  await openFromQueue(page, base, name);
  await page.getByLabel('تاریخ جلسه').fill(jalaliToday());
  await page.getByLabel('یادداشت', { exact: true }).first().fill('طرح خیاطی با دو چرخ خیاطی');
  await page.getByRole('button', { name: 'ذخیره' }).first().click();
  await page.waitForURL(/done=session/);
  await page.getByLabel('نوع فعالیت').fill('خیاطی');
  await page.getByLabel('محل کسب‌وکار').fill('تهران، منزل');
  await page.getByLabel('مبلغ پیشنهادی (تومان)').fill('۱۰۰٬۰۰۰٬۰۰۰');
  await page.getByLabel('تعداد شغل پیش‌بینی‌شده').fill('۲');
  await page.getByRole('button', { name: 'ذخیره' }).last().click();
  await page.waitForURL(/done=plan/);
  await check(page, 'counselling recorded');
  if (screenshot) await shot(page, screenshot);
  await act(page, 'تأیید طرح');
  assert.equal(await stateOf(page), 'در انتظار معرفی به بانک');
  await logout(page);
}

/** The office head refers the file to a bank branch (the choice shows the quota left). */
export async function officeHead(page, base, name) {
  await staffLogin(page, base, 'head');
  await openFromQueue(page, base, name);
  const branch = page.getByLabel('شعبهٔ بانک');
  const options = await branch.locator('option').allTextContents();
  assert.ok(options.some((o) => o.includes('مانده')), `branches show their quota: ${options}`);
  await branch.selectOption({ index: 0 });
  await act(page, 'معرفی به بانک');
  assert.equal(await stateOf(page), 'معرفی‌شده به بانک');
  await logout(page);
}

/** The bank officer asks for guarantees, accepts them and (when asked) disburses. */
export async function bank(page, base, tracking, { disburse, screenshot } = {}) {
  await staffLogin(page, base, 'bank');
  await check(page, 'bank referrals');
  if (screenshot) await shot(page, `${screenshot}-referrals`);
  await page.getByRole('row').filter({ hasText: tracking }).getByRole('link').click();
  await page.waitForURL(/\/desk\/files\/\d+/);
  await check(page, 'bank file page');
  await page.getByLabel('سفته').check();
  await act(page, 'درخواست تضامین');
  assert.equal(await stateOf(page), 'در انتظار تضامین');
  await act(page, 'پذیرش تضامین');
  assert.equal(await stateOf(page), 'تأیید بانک');
  if (disburse) {
    await page.getByLabel('شمارهٔ قرارداد').fill(`C-${tracking}`);
    await page.getByLabel('تاریخ پرداخت').fill(jalaliToday());
    await act(page, 'پرداخت وام');
    assert.equal(await stateOf(page), 'وام پرداخت‌شده');
    // a payment of the first installment's amount
    const row = () => page.locator('#loan tbody tr').first().locator('td');
    const first = (await row().nth(2).textContent()).replace('تومان', '').trim();
    const owedBefore = await row().nth(3).textContent();
    const form = page.locator('form[action*="/payments"]');
    await form.getByLabel('مبلغ پرداختی (تومان)').fill(first);
    await form.getByLabel('تاریخ پرداخت').fill(jalaliToday());
    await form.getByLabel('شمارهٔ پیگیری بانک').fill(`R-${tracking}`);
    await form.getByRole('button', { name: 'ذخیره' }).click();
    await page.waitForURL(/done=paid/);
    await check(page, 'payment posted');
    assert.notEqual(await row().nth(3).textContent(), owedBefore, 'the payment was allocated');
    if (screenshot) await shot(page, `${screenshot}-loan`);
  }
  await logout(page);
}

/** Uploads a PDF through a file input labelled `label`, then presses `button`. */
export async function uploadVia(page, input, button) {
  await input.setInputFiles(PDF);
  await button.click();
  await page.waitForURL(/done=uploaded/);
}
