// Browser test of people's accounts and roles on the head-office dashboard (issue 20 items 1-2),
// in Debian's headless Chromium through playwright-core, against a real kiosk-server on a fresh
// SQLite file set up through its CLI: the first admin follows add-user's one-time link and sets a
// password, logs in with name and password, sees the People page and resets a coach; each role
// logs in and sees only what it may use (the server refuses the rest: tests/security
// RoleMatrixTest.cpp); repeated wrong passwords lock the name and the page says until when; a
// person changes their own password; the admin sees who read per-rep data; the admin marks a rep
// as left and pseudonymises them from the People page, after a confirmation that names the
// consequence (English, then Hindi), and the access log records it. Screenshots (English, Telugu, Hindi) go to --out.
//
// Usage: node people.test.mjs --server build/kiosk-server --out build/web-screenshots
// Exit 0 pass, 1 fail, 77 skipped (playwright-core or chromium missing and FK_REQUIRE_WEB unset).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import assert from "node:assert/strict";
import {
  browserSetup, freshPage, lastLine, launch, logIn as logInAs, secretOf, serverDb, setPassword as setPasswordAt,
  startServer, reportAndExit, stepRunner, stopServer,
} from "./support.mjs";

// Arguments, the honest skip (exit 77) and the server binary: tests/web/support.mjs.
const { chromium, serverBin, outDir } = await browserSetup("fk-web-screenshots");

const { dir, db, cli } = serverDb(serverBin, "fk-people-");
cli("add-store", "--id", "blr", "--name", "बेंगलुरु सेंट्रल");
cli("add-store", "--id", "cph", "--name", "København Nord");
// The link's fragment carries the secret; the address part is whatever --url said.
const links = {
  admin: secretOf(lastLine(cli("add-user", "maria", "--role", "admin"))),
  head_office: secretOf(lastLine(cli("add-user", "henrik", "--role", "head_office"))),
  store_manager: secretOf(lastLine(cli("add-user", "anil", "--role", "store_manager", "--store", "blr"))),
  coach: secretOf(lastLine(cli("add-user", "ravi", "--role", "coach", "--store", "blr"))),
};
const names = { admin: "maria", head_office: "henrik", store_manager: "anil", coach: "ravi" };
// blr's roster: Meera will leave (issue 20: the People page's leaver button).
const roster = join(dir, "roster.json");
writeFileSync(roster, JSON.stringify({
  protocol: 1, survey: { scale: 4 }, reasons: [], locales: ["en"],
  roster: [{ id: "rep-meera", name: "मीरा शर्मा", active: true }, { id: "rep-arjun", name: "Arjun", active: true }],
}));
cli("set-config", "--store", "blr", "--file", roster);
const password = "a long enough password";

const { base, server } = await startServer(serverBin, db);

const { step, failures } = stepRunner();

const browser = await launch(chromium);
try {
  const consoleErrors = [];
  const fresh = (locale = "en-US") =>
    freshPage(browser, outDir, consoleErrors, { locale, viewport: { width: 1200, height: 800 } });
  const setPassword = (page, secret, pw = password) => setPasswordAt(page, base, secret, pw);
  // Returns the login's HTTP status once the page has it.
  const logIn = (page, name, pw = password) => logInAs(page, name, pw);

  await step("the first admin sets a password from the one-time link and logs in", async () => {
    const { context, page, shot } = await fresh();
    await page.goto(`${base}/#set-password=${links.admin}`);
    await page.waitForSelector("#set-password-form", { state: "visible" });
    assert.equal(await page.isVisible("#login-form"), false);
    await shot("people-set-password-en");
    await page.fill("#new-password", password);
    await page.fill("#new-password2", password + "x");
    await page.click("#set-password-button");
    await page.waitForSelector("#set-password-error", { state: "visible" });
    assert.match(await page.textContent("#set-password-error"), /differ/);
    await setPassword(page, links.admin);
    assert.equal(await page.inputValue("#username"), "maria");
    assert.match(await page.textContent("#login-error"), /password is set/);
    // The link works once.
    await page.goto(`${base}/#set-password=${links.admin}`);
    await page.fill("#new-password", password);
    await page.fill("#new-password2", password);
    await page.click("#set-password-button");
    await page.waitForSelector("#set-password-error", { state: "visible" });
    assert.match(await page.textContent("#set-password-error"), /used or has expired/);
    await page.goto(`${base}/`);
    await page.waitForSelector("#login-form", { state: "visible" });
    await logIn(page, "maria");
    await page.waitForSelector("#stores-table tbody tr");
    assert.equal(await page.isVisible("#nav-users"), true);
    assert.match(await page.textContent("#who"), /maria · Admin/);
    await context.close();
  });

  for (const role of ["head_office", "store_manager", "coach"]) {
    await step(`${role} sets a password and sees only what the role may use`, async () => {
      const { context, page, shot } = await fresh();
      await setPassword(page, links[role]);
      await logIn(page, names[role]);
      await page.waitForSelector("#stores-table tbody tr");
      assert.equal(await page.isVisible("#nav-users"), false, "only admins see People");
      assert.equal(await page.isVisible("#nav-account"), true);
      assert.equal(await page.isVisible("#nav-calls"), role !== "coach", "coaches handle no calls");
      const stores = await page.$$eval("#stores-table tbody td.name", (els) => els.map((e) => e.textContent));
      assert.equal(stores.length, role === "head_office" ? 2 : 1, stores.join(","));
      assert.equal(await page.isVisible("#csv-stores"), role !== "coach", "coaches take no downloads");
      await page.goto(`${base}/#/store/blr`);
      // The store page itself (the overview's cards are still there until it renders).
      await page.waitForFunction(() => document.querySelector("#view .crumbs") && document.querySelector("#view").getAttribute("aria-busy") === "false");
      assert.equal(await page.$$eval("a.csv", (a) => a.length) > 0, role !== "coach");
      await shot(`people-${role}-store`);
      // What the page hides, the server refuses.
      const users = await page.evaluate(async () => (await fetch("/api/v1/users")).status);
      assert.equal(users, 403);
      if (role !== "head_office") {
        const other = await page.evaluate(async () => (await fetch("/api/v1/reports/reps?store=cph")).status);
        assert.equal(other, 403);
      }
      const leave = await page.evaluate(async () => (await fetch("/api/v1/stores/blr/reps/rep-arjun/leave", {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ action: "erase" }),
      })).status);
      assert.equal(leave, 403, "only admins forget a leaver");
      if (role === "coach") {
        const csv = await page.evaluate(async () => (await fetch("/api/v1/reports/reps.csv?store=blr")).status);
        assert.equal(csv, 403);
      }
      await context.close();
    });
  }

  await step("the admin's People page lists everyone, resets a coach and disables and enables", async () => {
    const { context, page, shot } = await fresh();
    await page.goto(`${base}/`);
    await logIn(page, "maria");
    await page.waitForSelector("#stores-table tbody tr");
    await page.click("#nav-users");
    await page.waitForSelector(".users-table tbody tr");
    const rows = await page.$$eval(".users-table tbody tr", (trs) => trs.map((r) => r.dataset.user));
    assert.deepEqual(rows, ["anil", "henrik", "maria", "ravi"]);
    assert.equal(await page.$$eval('tr[data-user="maria"] button.toggle', (b) => b.length), 0, "no disabling yourself");
    await page.click('tr[data-user="ravi"] button.reset');
    await page.waitForSelector("#reset-link");
    assert.match(await page.textContent("#reset-link"), /^http:\/\/127\.0\.0\.1:\d+\/#set-password=fkl_[0-9a-f]{64}$/);
    await page.click('tr[data-user="henrik"] button.toggle');
    await page.waitForFunction(() => /disabled/.test(document.querySelector('tr[data-user="henrik"]').textContent));
    // The coach's and the store manager's store pages read per-rep data: the access log says so.
    // The log is fetched after the users table: wait for it (up to 10 s), then check.
    await page.waitForFunction(() => {
      const names = [...document.querySelectorAll("#access-table tbody td.name")].map((td) => td.textContent);
      return names.includes("ravi") && names.includes("anil");
    }, null, { timeout: 10000 }).catch(() => {});
    const who = await page.$$eval("#access-table tbody td.name", (tds) => tds.map((td) => td.textContent));
    assert.ok(who.includes("ravi") && who.includes("anil"), who.join(","));
    assert.equal(await page.isVisible("#csv-access-log"), true);
    await shot("people-users-en");
    await page.selectOption("#lang", "te");
    await page.waitForSelector(".users-table tbody tr");
    await page.waitForFunction(() => /నిలిపివేయబడింది/.test(document.querySelector('tr[data-user="henrik"]').textContent));
    await shot("people-users-te");
    await page.selectOption("#lang", "en");
    await page.waitForSelector('tr[data-user="henrik"] button.toggle');
    await page.click('tr[data-user="henrik"] button.toggle');
    await page.waitForFunction(() => /active/.test(document.querySelector('tr[data-user="henrik"]').textContent));
    await context.close();
  });

  await step("the admin marks a rep as left and pseudonymises them, after a confirmation naming the consequence", async () => {
    const { context, page, shot } = await fresh();
    await page.goto(`${base}/`);
    await logIn(page, "maria");
    await page.waitForSelector("#stores-table tbody tr");
    await page.click("#nav-users");
    await page.waitForSelector("#leavers-store");
    await page.selectOption("#leavers-store", "blr");
    await page.waitForSelector('#leavers-table tr[data-rep="rep-meera"] button.pseudonymise');
    await page.click('#leavers-table tr[data-rep="rep-meera"] button.pseudonymise');
    await page.waitForSelector("#leaver-confirm", { state: "visible" });
    const text = await page.textContent("#leaver-confirm-text");
    assert.match(text, /मीरा शर्मा \(rep-meera\)/);
    assert.match(text, /marked as left/);
    assert.match(text, /cannot be undone/);
    await shot("people-leaver-confirm-en");
    // Cancel changes nothing.
    await page.click("#leaver-confirm-no");
    await page.waitForSelector("#leaver-confirm", { state: "hidden" });
    const still = await page.evaluate(async () => (await (await fetch("/api/v1/survey?store=blr")).json()).definition.roster.map((r) => r.id));
    assert.deepEqual(still, ["rep-meera", "rep-arjun"]);
    // In Hindi, then confirmed.
    await page.selectOption("#lang", "hi");
    await page.waitForFunction(() => document.querySelector("#view").getAttribute("aria-busy") === "false" && document.querySelector("#leavers-store"));
    await page.selectOption("#leavers-store", "blr");
    await page.waitForSelector('#leavers-table tr[data-rep="rep-meera"] button.pseudonymise');
    await page.click('#leavers-table tr[data-rep="rep-meera"] button.pseudonymise');
    await page.waitForSelector("#leaver-confirm", { state: "visible" });
    assert.match(await page.textContent("#leaver-confirm-text"), /वापस नहीं किया जा सकता/);
    await shot("people-leaver-confirm-hi");
    const [res] = await Promise.all([
      page.waitForResponse((r) => /\/reps\/rep-meera\/leave$/.test(r.url())),
      page.click("#leaver-confirm-yes"),
    ]);
    assert.equal(res.status(), 200);
    await page.waitForSelector("#leaver-result");
    assert.match(await page.textContent("#leaver-result"), /former-[0-9a-f]{8}/);
    await shot("people-leaver-done-hi");
    const after = await page.evaluate(async () => (await (await fetch("/api/v1/survey?store=blr")).json()).definition.roster);
    assert.equal(after.length, 2);
    assert.match(after[0].id, /^former-[0-9a-f]{8}$/);
    assert.equal(after[0].active, false);
    assert.ok(!JSON.stringify(after).includes("मीरा"), "the name is gone from the roster");
    assert.equal(await page.$$eval('#leavers-table tr[data-rep="rep-meera"]', (r) => r.length), 0);
    // The access log says who did it, naming the new id only.
    const log = await page.evaluate(async () => (await (await fetch("/api/v1/access-log")).json()).entries);
    const entry = log.find((e) => /rep left/.test(e.what));
    assert.ok(entry && entry.who === "maria", JSON.stringify(log));
    assert.match(entry.what, /pseudonymised: store=blr now former-[0-9a-f]{8}/);
    assert.ok(!JSON.stringify(log).includes("rep-meera"));
    await page.selectOption("#lang", "en");
    await context.close();
  });

  await step("wrong passwords lock the name and the page says until when", async () => {
    const { context, page, shot } = await fresh("hi-IN");
    await page.goto(`${base}/`);
    await page.waitForSelector("#login-form", { state: "visible" });
    await shot("people-login-hi");
    for (let i = 0; i < 4; i++) {
      assert.equal(await logIn(page, "anil", "not the password " + i), 401);
      await page.waitForFunction(() => /गलत/.test(document.querySelector("#login-error").textContent));
    }
    assert.equal(await logIn(page, "anil", "not the password 5"), 429);
    await page.waitForFunction(() => /के बाद फिर कोशिश/.test(document.querySelector("#login-error").textContent));
    assert.equal(await logIn(page, "anil"), 429, "the right password is refused while locked");
    await page.waitForFunction(() => /के बाद फिर कोशिश/.test(document.querySelector("#login-error").textContent));
    assert.equal(await page.isVisible("#view"), false);
    await shot("people-locked-hi");
    await context.close();
  });

  await step("a person changes their own password", async () => {
    const { context, page, shot } = await fresh();
    await page.goto(`${base}/`);
    await logIn(page, "henrik");
    await page.waitForSelector("#stores-table tbody tr");
    await page.click("#nav-account");
    await page.waitForSelector("#account-form");
    await page.fill("#current-password", "wrong one entirely");
    await page.fill("#changed-password", "another long password");
    await page.click("#change-password-button");
    await page.waitForFunction(() => /wrong/.test(document.querySelector("#account-msg").textContent));
    await page.fill("#current-password", password);
    await page.fill("#changed-password", "another long password");
    await page.click("#change-password-button");
    await page.waitForFunction(() => /changed/.test(document.querySelector("#account-msg").textContent));
    await shot("people-account-en");
    await page.click("#logout");
    await page.waitForSelector("#login-form", { state: "visible" });
    await logIn(page, "henrik", "another long password");
    await page.waitForSelector("#stores-table tbody tr");
    await context.close();
  });

  await step("no script errors in the page", async () => {
    assert.deepEqual(consoleErrors, []);
  });
} finally {
  await browser.close();
  stopServer(server, dir);
}
reportAndExit(failures, outDir, "all people tests passed");
