// The head-office survey editor (issue 17 item 4) in a real headless Chromium (Debian's
// /usr/bin/chromium via playwright-core) against a real kiosk-server: an admin opens a store's
// survey, switches to five faces, adds a rep with a Telugu name and a reason, saves (version 1,
// which the kiosk config endpoint then serves); a broken reason code is refused on the page with
// the kiosk loader's words and nothing is stored; an earlier version is rolled back; in Hindi
// head office sets the languages, opening hours, help step and alert rule (a bad hour range is
// refused with the loader's pointer first); a store manager edits their own store's roster and
// nothing else. A store with no definition opens with the built-in reasons, so a first save keeps
// them. Screenshots (en, te, hi, the refusals, the manager's roster view) go to --out.
//
// Usage: node survey.test.mjs --server build/kiosk-server --out build/web-screenshots
// Exit 0 pass, 1 fail, 77 skipped (playwright-core or chromium missing and FK_REQUIRE_WEB unset).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";
import { browserSetup, chromiumPath, secretOf, startServer, stepRunner } from "./support.mjs";

// Arguments, the honest skip (exit 77) and the server binary: tests/web/support.mjs.
const { chromium, serverBin, outDir } = await browserSetup("fk-web-screenshots");

const dir = mkdtempSync(join(tmpdir(), "fk-survey-"));
const db = join(dir, "server.db");
const cli = (...a) => execFileSync(serverBin, [...a, "--db", db], { encoding: "utf8" });
const lastLine = (s) => s.trim().split("\n").pop().trim();
cli("add-store", "--id", "blr", "--name", "बेंगलुरु सेंट्रल");
const kioskToken = lastLine(cli("add-kiosk", "--store", "blr", "--id", "blr-1"));
const links = {
  maria: secretOf(lastLine(cli("add-user", "maria", "--role", "admin"))),
  anil: secretOf(lastLine(cli("add-user", "anil", "--role", "store_manager", "--store", "blr"))),
};
const password = "a long enough password";

const { base, server } = await startServer(serverBin, db);
const served = async () => {
  const res = await fetch(`${base}/api/v1/kiosks/blr-1/config`, { headers: { Authorization: `Bearer ${kioskToken}` } });
  return { status: res.status, body: res.status === 200 ? await res.json() : null };
};

const { step, failures } = stepRunner();

const browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox", "--headless"] });
try {
  const consoleErrors = [];
  async function fresh(locale = "en-US") {
    const context = await browser.newContext({ locale, viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    page.on("pageerror", (e) => consoleErrors.push(String(e)));
    return { context, page, shot: (name) => page.screenshot({ path: join(outDir, `${name}.png`), fullPage: true }) };
  }
  // A person whose password is set logs in on a fresh page.
  async function logIn(page, name) {
    await page.goto(`${base}/`);
    await page.fill("#username", name);
    await page.fill("#password", password);
    await page.click("#login-button");
    await page.waitForSelector("#stores-table tbody tr");
  }
  async function setPasswordAndLogIn(page, name) {
    await page.goto(`${base}/#set-password=${links[name]}`);
    await page.waitForSelector("#set-password-form", { state: "visible" });
    await page.fill("#new-password", password);
    await page.fill("#new-password2", password);
    await page.click("#set-password-button");
    await page.waitForSelector("#login-form", { state: "visible" });
    await page.fill("#username", name);
    await page.fill("#password", password);
    await page.click("#login-button");
    await page.waitForSelector("#stores-table tbody tr");
  }

  await step("an admin sets five faces, adds a rep and a reason, saves version 1 and the kiosk is served it", async () => {
    const { context, page, shot } = await fresh();
    await setPasswordAndLogIn(page, "maria");
    assert.equal(await page.isVisible("#nav-survey"), true);
    assert.equal((await served()).status, 404);
    await page.click("#nav-survey");
    await page.waitForSelector("#survey-save");
    // A store with no definition opens with the built-in reasons (the list the server would
    // store), not an empty list a first save would store instead of them.
    const builtIn = ["wait_time", "staff_attitude", "product_availability", "price", "cleanliness", "other"];
    assert.deepEqual(await page.$$eval("#survey-reasons tbody tr", (rows) => rows.map((r) => r.dataset.reason)), builtIn);
    assert.equal(await page.isChecked("#survey-reasons tr[data-reason='staff_attitude'] input.about-rep"), true);
    assert.equal(await page.isChecked("#survey-reasons tr[data-reason='wait_time'] input.about-rep"), false);
    await page.selectOption("#survey-scale", "5");
    await page.fill("#new-rep-id", "r1");
    await page.fill("#new-rep-name", "రవి కుమార్");
    await page.click("#add-rep");
    await page.fill("#new-rep-id", "r2");
    await page.fill("#new-rep-name", "Asha");
    await page.click("#add-rep");
    await page.fill("#new-reason-id", "parking");
    await page.fill("#new-reason-label", "No parking space");
    await page.click("#add-reason");
    // The preview before saving: five faces with the kiosk's English words, the new reason.
    await page.click("#survey-preview-button");
    await page.waitForSelector("#survey-preview [data-screen='thanks']");
    assert.equal(await page.$$eval("#survey-preview [data-screen='rate'] .face-tile", (t) => t.length), 5);
    assert.equal(await page.textContent("#survey-preview [data-screen='rate'] .screen-q"), "How was your visit today?");
    assert.equal(await page.textContent("#survey-preview [data-screen='rate'] [data-rating='3']"), "Okay");
    assert.equal(await page.textContent("#survey-preview .reason-tile[data-reason='parking']"), "No parking space");
    assert.equal(await page.textContent("#survey-preview .reason-tile[data-reason='wait_time']"), "Long wait");
    assert.equal(await page.textContent("#survey-preview [data-screen='thanks'] .screen-q"), "Thank you!");
    await page.locator("#survey-preview").screenshot({ path: join(outDir, "survey-preview-en.png") });
    await page.click("#survey-save");
    await page.waitForFunction(() => /version 1/.test(document.querySelector("#survey-msg").textContent));
    await page.waitForSelector("#survey-versions tr[data-version='1']");
    const got = await served();
    assert.equal(got.status, 200);
    assert.equal(got.body.version, 1);
    assert.equal(got.body.survey.scale, 5);
    assert.deepEqual(got.body.roster.map((r) => r.name), ["రవి కుమార్", "Asha"]);
    assert.ok(got.body.reasons.some((r) => r.id === "parking" && r.labels.en === "No parking space"));
    // The first save kept the built-in reasons and added the new one after them.
    assert.deepEqual(got.body.reasons.map((r) => r.id), [...builtIn, "parking"]);
    assert.equal(got.body.reasons.find((r) => r.id === "staff_attitude").attributable_to_rep, true);
    await shot("survey-editor-en");
    await context.close();
  });

  await step("a broken reason code is refused on the page with the loader's message; nothing is stored", async () => {
    const { context, page, shot } = await fresh();
    await logIn(page, "maria");
    await page.goto(`${base}/#/survey/blr`);
    await page.waitForSelector("#survey-roster tr[data-rep='r1']");
    await page.fill("#new-reason-id", "Bad Code");
    await page.fill("#new-reason-label", "Broken");
    await page.click("#add-reason");
    await page.click("#survey-save");
    await page.waitForSelector("#survey-problems li");
    const problem = await page.textContent("#survey-problems");
    assert.match(problem, /definition: \/reasons\/\d+\/id: "Bad Code" is not a valid id/);
    assert.equal((await served()).body.version, 1);
    await shot("survey-refused-en");
    await context.close();
  });

  await step("hide a rep (version 2), then roll back to version 1 (version 3), in Telugu", async () => {
    const { context, page, shot } = await fresh("te-IN");
    await logIn(page, "maria");
    await page.goto(`${base}/#/survey/blr`);
    await page.waitForSelector("#survey-roster tr[data-rep='r2'] input.shown");
    await page.uncheck("#survey-roster tr[data-rep='r2'] input.shown");
    await page.click("#survey-save");
    await page.waitForSelector("#survey-versions tr[data-version='2']");
    assert.equal((await served()).body.roster[1].active, false);
    await page.click("#survey-versions tr[data-version='1'] button.rollback");
    await page.waitForSelector("#survey-versions tr[data-version='3']");
    const got = await served();
    assert.equal(got.body.version, 3);
    assert.equal(got.body.roster[1].active, true);
    assert.match(await page.textContent("#survey-versions tr[data-version='3']"), /rollback to 1/);
    assert.match(await page.textContent("#survey-versions tr[data-version='3']"), /maria/);
    await shot("survey-editor-te");
    await context.close();
  });

  await step("in Hindi: languages, opening hours, help step and alert rule; a bad range is refused first", async () => {
    const { context, page, shot } = await fresh();
    await logIn(page, "maria");
    await page.selectOption("#lang", "hi");
    await page.waitForFunction(() => document.documentElement.lang === "hi");
    await page.goto(`${base}/#/survey/blr`);
    await page.waitForSelector("#survey-settings");
    // Nothing stored yet for these sections: the documented defaults show.
    assert.equal(await page.isChecked("#survey-hours-always"), true);
    assert.equal(await page.isChecked("#survey-languages input[value='en']"), true);
    assert.equal(await page.inputValue("#survey-alert-pct"), "50");
    // Hindi is offered, so the custom reason needs a Hindi label (this column is Hindi now).
    await page.fill("#survey-reasons tr[data-reason='parking'] td:nth-child(2) input", "पार्किंग नहीं");
    await page.check("#survey-languages input[value='hi']");
    await page.selectOption("#survey-default-lang", "hi");
    await page.uncheck("#survey-hours-always");
    await page.fill("#survey-hours tr[data-day='monday'] input", "09:00-25:00");
    await page.fill("#survey-hours tr[data-day='sunday'] input", "closed");
    await page.check("#survey-help-for input[value='2']");
    await page.fill("#survey-confirm-within", "15");
    await page.fill("#survey-alert-pct", "60");
    await page.fill("#survey-alert-window", "30");
    await page.click("#survey-save");
    await page.waitForSelector("#survey-problems li");
    assert.match(await page.textContent("#survey-problems"), /definition: \/hours\/monday: /);
    assert.equal((await served()).body.version, 3);
    await shot("survey-settings-refused-hi");
    await page.fill("#survey-hours tr[data-day='monday'] input", "09:00-13:00, 14:00-19:00");
    await page.click("#survey-save");
    await page.waitForSelector("#survey-versions tr[data-version='4']");
    const got = (await served()).body;
    assert.equal(got.version, 4);
    assert.deepEqual(got.languages, { offered: ["en", "hi"], default: "hi" });
    assert.equal(got.hours.always, false);
    assert.deepEqual(got.hours.monday, ["09:00-13:00", "14:00-19:00"]);
    assert.equal(got.hours.sunday, "closed");
    assert.equal(got.hours.tuesday, "09:00-21:00");
    assert.deepEqual(got.help.offer_for, [1, 2]);
    assert.equal(got.help.confirm_within_s, 15);
    assert.equal(got.alert.negative_share_pct, 60);
    assert.equal(got.alert.window_min, 30);
    assert.equal(got.reasons.find((r) => r.id === "parking").labels.hi, "पार्किंग नहीं");
    // The page shows what was stored.
    assert.equal(await page.isChecked("#survey-hours-always"), false);
    assert.equal(await page.inputValue("#survey-hours tr[data-day='monday'] input"), "09:00-13:00, 14:00-19:00");
    await shot("survey-settings-hi");
    // The preview in Telugu: the kiosk's own Telugu words (its locale catalog), the store's
    // reason with no Telugu label in its English one; and in Hindi with the new Hindi label.
    await page.selectOption("#survey-preview-lang", "te");
    await page.waitForFunction(() => document.querySelector("#survey-preview [data-screen='rate']")?.getAttribute("lang") === "te");
    assert.equal(await page.textContent("#survey-preview [data-screen='rate'] .screen-q"), "ఈ రోజు మీ అనుభవం ఎలా ఉంది?");
    assert.equal(await page.textContent("#survey-preview .reason-tile[data-reason='wait_time']"), "ఎక్కువ సేపు వేచి ఉండాల్సి వచ్చింది");
    assert.equal(await page.textContent("#survey-preview .reason-tile[data-reason='parking']"), "No parking space");
    await page.locator("#survey-preview").screenshot({ path: join(outDir, "survey-preview-te.png") });
    await page.selectOption("#survey-preview-lang", "hi");
    await page.waitForFunction(() => document.querySelector("#survey-preview [data-screen='rate']")?.getAttribute("lang") === "hi");
    assert.equal(await page.textContent("#survey-preview .reason-tile[data-reason='parking']"), "पार्किंग नहीं");
    await page.locator("#survey-preview").screenshot({ path: join(outDir, "survey-preview-hi.png") });
    const unknown = await page.evaluate(async () => (await fetch("/api/v1/survey/screens?store=blr&lang=xx")).status);
    assert.equal(unknown, 404);
    await context.close();
  });

  await step("a store manager edits their own store's roster and nothing else (en, te)", async () => {
    for (const [locale, name, rep] of [["en-US", "en", ["r3", "सुनीता"]], ["te-IN", "te", ["r4", "లక్ష్మి"]]]) {
      const { context, page, shot } = await fresh(locale);
      if (name === "en") await setPasswordAndLogIn(page, "anil");
      else {
        await logIn(page, "anil");
      }
      assert.equal(await page.isVisible("#nav-survey"), true);
      await page.click("#nav-survey");
      await page.waitForSelector("#survey-roster-only");
      assert.equal(await page.$("#survey-scale"), null);
      assert.equal(await page.$("#survey-reasons"), null);
      assert.equal(await page.$("#survey-settings"), null);
      assert.equal(await page.$("button.rollback"), null);
      const before = (await served()).body.version;
      await page.fill("#new-rep-id", rep[0]);
      await page.fill("#new-rep-name", rep[1]);
      await page.click("#add-rep");
      await page.click("#survey-save");
      await page.waitForSelector(`#survey-versions tr[data-version='${before + 1}']`);
      const got = (await served()).body;
      assert.equal(got.version, before + 1);
      assert.ok(got.roster.some((r) => r.id === rep[0] && r.name === rep[1]));
      // Head office's sections stayed as they were.
      assert.deepEqual(got.languages, { offered: ["en", "hi"], default: "hi" });
      assert.equal(got.survey.scale, 5);
      assert.match(await page.textContent(`#survey-versions tr[data-version='${before + 1}']`), /anil/);
      await page.waitForSelector(`#survey-roster tr[data-rep='${rep[0]}']`);
      await shot(`survey-roster-manager-${name}`);
      // The full editor's endpoints stay closed to a store manager.
      const status = await page.evaluate(async () => (await fetch("/api/v1/survey?store=blr", {
        method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ survey: { scale: 4 } }),
      })).status);
      assert.equal(status, 403);
      await context.close();
    }
    assert.equal((await served()).body.version, 6);
  });

  await step("no script errors in the page", async () => {
    assert.deepEqual(consoleErrors, []);
  });
} finally {
  await browser.close();
  server.kill("SIGTERM");
  rmSync(dir, { recursive: true, force: true });
}
console.log(`screenshots in ${outDir}`);
if (failures.length) {
  console.log(`FAILED: ${failures.join("; ")}`);
  process.exit(1);
}
console.log("all survey editor tests passed");
