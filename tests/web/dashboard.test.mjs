// End-to-end test of the head-office dashboard in a real headless Chromium (Debian's /usr/bin/chromium
// driven by playwright-core). Starts a real kiosk-server on 127.0.0.1 with a fresh SQLite file, sets
// it up through its CLI, seeds it with real POSTed batches and heartbeats, then logs in, opens a
// store, sorts reps, downloads a CSV, checks the fleet's stale flags, the languages, a refused token
// and logout. Screenshots of each view go to --out (open them and look).
//
// Usage: node dashboard.test.mjs --server build/kiosk-server --out build/web-screenshots
// Exit 0 pass, 1 fail, 77 skipped (playwright-core or chromium missing and FK_REQUIRE_WEB unset).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";
import { browserSetup, chromiumPath, uuidv7, startServer, stepRunner } from "./support.mjs";

// Arguments, the honest skip (exit 77) and the server binary: tests/web/support.mjs.
const { chromium, serverBin, outDir } = await browserSetup("fk-web-screenshots");

// --- A real server, set up through its CLI -----------------------------------------------------
const dir = mkdtempSync(join(tmpdir(), "fk-web-"));
const db = join(dir, "server.db");
const cli = (...a) => execFileSync(serverBin, [...a, "--db", db], { encoding: "utf8" });
const lastLine = (s) => s.trim().split("\n").pop().trim();
cli("add-store", "--id", "blr", "--name", "बेंगलुरु सेंट्रल");
cli("add-store", "--id", "hyd", "--name", "హైదరాబాద్ మాల్");
cli("add-store", "--id", "cph", "--name", "København Nord");
const kioskToken = {};
for (const [store, kiosk] of [["blr", "blr-1"], ["blr", "blr-2"], ["hyd", "hyd-1"], ["cph", "cph-1"]]) {
  kioskToken[kiosk] = lastLine(cli("add-kiosk", "--store", store, "--id", kiosk));
}
const manager = lastLine(cli("add-manager", "--all"));
const config = {
  protocol: 1,
  survey: { scale: 4, question: { en: "How did we do?" } },
  roster: [
    { id: "r1", name: "अनिल शर्मा", active: true },
    { id: "r2", name: "రవి కుమార్", active: true },
    { id: "r3", name: "Søren Østergård", active: true },
    { id: "r4", name: "सुनिता श्रेष्ठ", active: true },
    { id: "r5", name: "=HYPERLINK(\"http://x\")", active: true },
    { id: "r6", name: "Asha", active: true },
  ],
  reasons: [
    { id: "rude", labels: { en: "Rude", hi: "असभ्य व्यवहार", te: "మర్యాద లేదు" }, attributable_to_rep: true },
    { id: "wait_time", labels: { en: "Waiting time", hi: "इंतज़ार", te: "వేచి ఉండటం" }, attributable_to_rep: false },
    { id: "price", labels: { en: "Price", hi: "कीमत", te: "ధర" }, attributable_to_rep: false },
  ],
  locales: ["en", "hi", "te"],
};
const configFile = join(dir, "config.json");
writeFileSync(configFile, JSON.stringify(config));
for (const store of ["blr", "hyd", "cph"]) cli("set-config", "--store", store, "--file", configFile);
// Two stores with their IANA time zones (issue 17 item 5); hyd has none and keeps its ratings' zone.
cli("set-store-zone", "--store", "blr", "--tz", "Asia/Kolkata");
cli("set-store-zone", "--store", "cph", "--tz", "Europe/Copenhagen");

const { base, server } = await startServer(serverBin, db, ["--stale-after", "3600"]);

// --- Seed: real batches and heartbeats ---------------------------------------------------------
async function post(path, token, body) {
  const res = await fetch(base + path, {
    method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  assert.equal(res.status, 200, `${path}: ${JSON.stringify(json)}`);
  return json;
}
// mulberry32: a small seeded generator, so every run seeds the same rows.
let seed = 42;
function rand(n) {
  seed = (seed + 0x6d2b79f5) | 0;
  let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
  return Math.floor((((x ^ (x >>> 14)) >>> 0) / 4294967296) * n);
}
const now = Date.now();
// Per rep: how good they are (chance of a positive rating) and how busy.
const profile = { r1: [0.9, 110], r2: [0.6, 90], r3: [0.75, 70], r4: [0.85, 50], r5: [0.5, 14], r6: [0.95, 9] };
// Every seeded row by kiosk, so a view's numbers can be checked against what was sent.
const seeded = {};
async function seedKiosk(kiosk, tz, scaleBoost) {
  const rows = [];
  seeded[kiosk] = rows;
  let seq = 0;
  for (const [rep, [good, count]] of Object.entries(profile)) {
    for (let i = 0; i < count * scaleBoost; i++) {
      // Two weeks: this week against the one before (the stores view's change column).
      const created = now - 60_000 - rand(13 * 86_400_000);
      const positive = rand(1000) < good * 1000;
      const rating = positive ? 3 + rand(2) : 1 + rand(2);
      let reason = null;
      if (!positive && rand(3) > 0) reason = ["rude", "wait_time", "price"][rand(3)];
      rows.push({ created, rating, rep, reason, misuse: rand(40) === 0 ? "rapid_taps" : null });
    }
  }
  for (let i = 0; i < 20; i++) rows.push({ created: now - 60_000 - rand(13 * 86_400_000), rating: 1 + rand(4), rep: null, reason: null, misuse: null });
  rows.sort((a, b) => a.created - b.created);
  const responses = rows.map((r) => ({
    id: uuidv7(r.created), seq: ++seq, created_at: new Date(r.created).toISOString(),
    closed_at: new Date(r.created + 4000).toISOString(), tz_offset_min: tz, scale: 4, rating: r.rating,
    rep_id: r.rep, reason: r.reason, language: "en", misuse: r.misuse,
  }));
  for (let i = 0; i < responses.length; i += 200) {
    const receipt = await post("/api/v1/batches", kioskToken[kiosk],
      { protocol: 1, kiosk_id: kiosk, batch_id: uuidv7(Date.now()), responses: responses.slice(i, i + 200) });
    assert.ok(receipt.results.every((x) => x.status === "accepted"), JSON.stringify(receipt).slice(0, 300));
  }
  return responses.length;
}
await seedKiosk("blr-1", 330, 1);
await seedKiosk("blr-2", 330, 1);
await seedKiosk("hyd-1", 330, 0.3);
const heartbeat = (kiosk, extra) => post(`/api/v1/kiosks/${kiosk}/heartbeat`, kioskToken[kiosk], {
  pending: 0, oldest_pending_age_ms: null, clock: new Date(Date.now() + 1200).toISOString(), version: "1.4.0",
  last_error: null, alert: null, ...extra,
});
await heartbeat("blr-1", { alert: "5 of 6 negative in the last 15 minutes" });
// blr-2 has sat on a backlog for two days; cph-1 has never called in.
await heartbeat("blr-2", { pending: 340, oldest_pending_age_ms: 2 * 86_400_000, last_error: "timeout after 10 s" });
await heartbeat("hyd-1", {});

// --- The browser ---------------------------------------------------------------------------------
const { step, failures } = stepRunner();

const browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox", "--headless"] });
try {
  const context = await browser.newContext({ locale: "en-US", viewport: { width: 1360, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const consoleErrors = [];
  page.on("console", (m) => { if (m.type() === "error") consoleErrors.push(m.text()); });
  page.on("pageerror", (e) => consoleErrors.push(String(e)));
  const shot = (name) => page.screenshot({ path: join(outDir, `${name}.png`), fullPage: true });
  const cellTexts = (sel) => page.$$eval(sel, (els) => els.map((e) => e.textContent.trim()));

  await step("a wrong token is refused", async () => {
    await page.goto(base + "/");
    await page.waitForSelector("#login-form", { state: "visible" });
    await page.fill("#token", "fk1_0000wrong");
    await page.click("#login-button");
    await page.waitForSelector("#login-error", { state: "visible" });
    assert.match(await page.textContent("#login-error"), /refused/);
    assert.equal(await page.isVisible("#view"), false);
    const kioskRes = await page.evaluate(async (t) => (await fetch("/api/v1/session", { method: "POST", headers: { Authorization: "Bearer " + t } })).status, kioskToken["blr-1"]);
    assert.equal(kioskRes, 403, "a kiosk token cannot open the dashboard");
    await shot("login-refused");
  });

  await step("log in: the stores view lists every store with score, volume and trend", async () => {
    await page.fill("#token", manager);
    await page.click("#login-button");
    await page.waitForSelector("#stores-table tbody tr");
    const names = await cellTexts("#stores-table tbody td.name a");
    assert.deepEqual(names, ["बेंगलुरु सेंट्रल", "København Nord", "హైదరాబాద్ మాల్"]);
    // Each store's zone is named beside it where head office set one.
    assert.deepEqual(await cellTexts("#stores-table tbody td.name .tz"), ["· Asia/Kolkata", "· Europe/Copenhagen"]);
    const blr = await cellTexts('#stores-table tr[data-store="blr"] td');
    // "Last 7 days" is today and the six days before it in the store's calendar, so it reaches back
    // at least 6 and at most 7 times 24 h from now, whatever the hour: the volume lies between
    // those two counts of what was sent (misuse rows may or may not count).
    const sentSince = (ms, withMisuse) => ["blr-1", "blr-2"].flatMap((k) => seeded[k])
      .filter((r) => r.created >= now - ms && (withMisuse || !r.misuse)).length;
    const volume = Number(blr[1].replace(/\D/g, ""));
    const low = sentSince(6 * 86_400_000, false), high = sentSince(7 * 86_400_000, true);
    assert.ok(low > 200 && volume >= low && volume <= high, `volume ${blr[1]}, sent ${low}..${high}`);
    const api = await page.evaluate(async () => (await fetch("/api/v1/reports/stores?period=7d", { credentials: "same-origin" })).json());
    const report = api.stores.find((s) => s.store === "blr");
    assert.equal(volume, report.current_all.responses, "the view shows the report's volume of every response");
    // The rep-adjusted view is shown beside it and named; it leaves out "not about the rep".
    assert.ok(report.current.responses < report.current_all.responses, "the seeded wait_time/price complaints are left out");
    assert.equal(blr[5], `${(Math.round(report.current.satisfaction_pct * 10) / 10).toFixed(1)} %`);
    assert.match(await page.textContent("#stores-table thead"), /Satisfaction, rep-adjusted/);
    assert.match(await page.textContent("#stores-legend"), /every response/);
    assert.match(blr[3], /^\d+\.\d$/);
    assert.match(blr[4], /^[▲▼] [+-]?\d+\.\d$/, "change against the previous 7 days");
    assert.equal(blr[8], "1", "one stale kiosk in blr");
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === "fk_session");
    assert.ok(session, "session cookie set");
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, "Strict");
    assert.equal(await page.evaluate(() => document.cookie.includes("fk_session")), false, "not readable by scripts");
    await shot("stores");
  });

  await step("open a store: reps with fair numbers, reasons, heatmap and trend", async () => {
    await page.click('#stores-table tr[data-store="blr"] a');
    await page.waitForSelector("#reps-table tbody tr");
    await page.waitForSelector("#heatmap td");
    await page.waitForSelector("#trend-chart circle");
    const names = await cellTexts("#reps-table tbody td.name");
    assert.ok(names.includes("अनिल शर्मा") && names.includes("రవి కుమార్") && names.includes("Søren Østergård"), names.join(","));
    // Default order: lower bound, descending; reps below min_n ("not enough data") last.
    const lower = await cellTexts("#reps-table tbody td:nth-child(6)");
    const values = lower.filter((x) => /\d/.test(x)).map((x) => parseFloat(x));
    assert.deepEqual(values, [...values].sort((a, b) => b - a));
    const firstNa = lower.findIndex((x) => !/\d/.test(x));
    assert.ok(firstNa > 0, "some reps have enough data");
    assert.ok(lower.slice(firstNa).every((x) => x === "not enough data"), lower.join("|"));
    assert.equal(await page.$$eval("#reps-table tbody tr:first-child .dist span", (s) => s.length), 4);
    const reasons = await cellTexts("#reasons-table tbody td.name");
    assert.deepEqual([...reasons].sort(), ["Price", "Rude", "Waiting time"]);
    // The store's own figures name what they count and agree with the stores overview.
    const overview = (await page.evaluate(async () => (await fetch("/api/v1/reports/stores?period=7d", { credentials: "same-origin" })).json()))
      .stores.find((x) => x.store === "blr");
    const all = await cellTexts('#store-summary tr[data-figures="all"] td');
    const adjusted = await cellTexts('#store-summary tr[data-figures="adjusted"] td');
    assert.equal(all[0], "Every response");
    assert.equal(Number(all[1].replace(/\D/g, "")), overview.current_all.responses);
    assert.equal(adjusted[0], "Rep-adjusted");
    assert.equal(Number(adjusted[1].replace(/\D/g, "")), overview.current.responses);
    await shot("store");
  });

  await step("sort reps by any column, both ways", async () => {
    await page.click('#reps-table th[data-col="responses"]');
    let counts = (await cellTexts("#reps-table tbody td:nth-child(2)")).map((x) => Number(x.replace(/\D/g, "")));
    assert.deepEqual(counts, [...counts].sort((a, b) => b - a));
    assert.equal(await page.getAttribute('#reps-table th[data-col="responses"]', "aria-sort"), "descending");
    await page.click('#reps-table th[data-col="responses"]');
    counts = (await cellTexts("#reps-table tbody td:nth-child(2)")).map((x) => Number(x.replace(/\D/g, "")));
    assert.deepEqual(counts, [...counts].sort((a, b) => a - b));
    await page.click('#reps-table th[data-col="score"]');
    const scores = await cellTexts("#reps-table tbody td:nth-child(5)");
    const nums = scores.filter((x) => /\d/.test(x)).map(parseFloat);
    assert.deepEqual(nums, [...nums].sort((a, b) => b - a));
    assert.ok(scores.slice(nums.length).every((x) => x === "not enough data"));
    await shot("store-sorted-by-score");
  });

  await step("download the reps CSV: the same numbers, names safe from formula injection", async () => {
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#csv-reps")]);
    const file = join(outDir, "reps.csv");
    await download.saveAs(file);
    const text = readFileSync(file, "utf8");
    assert.ok(text.startsWith("\ufeffrep_id,responses,"), text.slice(0, 40));
    assert.ok(text.includes("अनिल शर्मा") && text.includes("రవి కుమార్"));
    assert.ok(text.includes(`"'=HYPERLINK(""http://x"")"`), "the formula-like name is quoted and neutralised");
    // The page's number for r1 is the CSV's number.
    const header = text.split("\r\n")[0].replace("\ufeff", "").split(",");
    const r1 = text.split("\r\n").find((l) => l.startsWith("r1,")).split(",");
    const csvScore = r1[header.indexOf("score100")];
    const pageScore = await page.textContent('#reps-table tr[data-rep="r1"] td:nth-child(5)');
    assert.equal(pageScore.trim(), csvScore);
  });

  await step("a custom period: every table follows it", async () => {
    const before = Number((await page.textContent('#reps-table tr[data-rep="r1"] td:nth-child(2)')).replace(/\D/g, ""));
    const iso = (ms) => new Date(ms).toISOString().slice(0, 10);
    await page.selectOption("#period", "custom");
    await page.fill("#from", iso(now + 330 * 60_000 - 13 * 86_400_000));
    await page.fill("#to", iso(now + 330 * 60_000));
    await page.dispatchEvent("#to", "change");
    await page.waitForFunction(() => document.querySelector("#store-title small").textContent.includes(document.querySelector("#from").value));
    await page.waitForSelector('#reps-table tr[data-rep="r1"]');
    const after = Number((await page.textContent('#reps-table tr[data-rep="r1"] td:nth-child(2)')).replace(/\D/g, ""));
    assert.ok(after > before, `14 days (${after}) hold more than 7 (${before})`);
    assert.equal(await page.$$eval("#trend-chart rect", (r) => r.length), 14);
    await shot("store-custom-14-days");
    await page.selectOption("#period", "7d");
    await page.waitForFunction(() => document.querySelectorAll("#trend-chart rect").length === 7);
  });

  await step("the fleet flags stale kiosks and shows alerts", async () => {
    await page.click("#nav-fleet");
    await page.waitForSelector("#fleet-table tbody tr");
    const stale = await page.$$eval("#fleet-table tbody tr.stale", (rows) => rows.map((r) => r.dataset.kiosk));
    assert.deepEqual(stale.sort(), ["blr-2", "cph-1"]);
    assert.match(await page.getAttribute('tr[data-kiosk="blr-2"]', "title"), /backlog older than a day/);
    assert.match(await page.getAttribute('tr[data-kiosk="cph-1"]', "title"), /never seen/);
    assert.match(await page.textContent('tr[data-kiosk="blr-1"] td.alert'), /5 of 6 negative/);
    assert.match(await page.textContent('tr[data-kiosk="blr-1"]'), /1\.4\.0/);
    await shot("fleet");
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#csv-fleet")]);
    const csv = readFileSync(await download.path(), "utf8");
    assert.match(csv, /\r\nblr-2,blr,.*,yes,backlog older than a day/);
  });

  await step("languages: the picker switches every string, names stay as given", async () => {
    await page.click("#nav-stores");
    await page.click('#stores-table tr[data-store="hyd"] a');
    await page.waitForSelector("#reps-table tbody tr");
    for (const [lang, title, reps] of [["hi", "फ़ीडबैक कियोस्क · मुख्य कार्यालय", "प्रतिनिधि"],
      ["te", "ఫీడ్‌బ్యాక్ కియోస్క్ · ప్రధాన కార్యాలయం", "ప్రతినిధులు"], ["ne", "प्रतिक्रिया किओस्क · मुख्य कार्यालय", "प्रतिनिधिहरू"],
      ["da", "Feedback-kiosk · Hovedkontor", "Medarbejdere"]]) {
      await page.selectOption("#lang", lang);
      await page.waitForFunction((l) => document.documentElement.lang === l, lang);
      // The view is drawn again after its data comes back: wait for the new words, not for the
      // old table (still there for a moment).
      await page.waitForFunction((words) => document.querySelector("#view").textContent.includes(words),
        reps, { timeout: 10000 }).catch(() => {});
      await page.waitForSelector("#reps-table tbody tr");
      assert.equal((await page.textContent("header h1")).trim(), title);
      assert.match(await page.textContent("#view"), new RegExp(reps));
      await shot(`store-${lang}`);
    }
    // The stores overview names both of its views in the chosen language too.
    await page.click("#nav-stores");
    await page.waitForSelector("#stores-table tbody tr");
    assert.match(await page.textContent("#stores-table thead"), /Tilfredshed, justeret for medarbejder/);
    await shot("stores-da");
    await page.selectOption("#lang", "te");
    await page.waitForFunction(() => document.documentElement.lang === "te");
    await page.waitForFunction(() => (document.querySelector("#stores-legend")?.textContent ?? "")
      .includes("ప్రతినిధి గురించి కాదు"), null, { timeout: 10000 }).catch(() => {});
    await page.waitForSelector("#stores-table tbody tr");
    assert.match(await page.textContent("#stores-legend"), /ప్రతినిధి గురించి కాదు/);
    await shot("stores-te");
    await page.selectOption("#lang", "en");
    await page.click("#nav-fleet");
    await page.waitForSelector("#fleet-table tbody tr");
  });

  await step("the browser's language is the default", async () => {
    const other = await browser.newContext({ locale: "te-IN" });
    const p = await other.newPage();
    await p.goto(base + "/");
    await p.waitForSelector("#login-form", { state: "visible" });
    assert.equal((await p.textContent("#login-button")).trim(), "లాగిన్");
    await p.screenshot({ path: join(outDir, "login-te.png") });
    await other.close();
  });

  await step("a store alert over every till: two negatives at each of blr's two tills mark the store", async () => {
    // Each till alone stays below the rule (2 responses < 4); the store has 4 of 4 negative.
    for (const kiosk of ["blr-1", "blr-2"]) {
      const created = Date.now() - 20_000;
      const responses = [1, 2].map((i) => ({
        id: uuidv7(created + i), seq: seeded[kiosk].length + i, created_at: new Date(created + i).toISOString(),
        closed_at: new Date(created + i + 3000).toISOString(), tz_offset_min: 330, scale: 4, rating: 1,
        rep_id: "r1", reason: "rude", language: "en", misuse: null,
      }));
      await post("/api/v1/batches", kioskToken[kiosk], { protocol: 1, kiosk_id: kiosk, batch_id: uuidv7(Date.now()), responses });
    }
    const beat = await heartbeat("blr-1", {});
    assert.equal(beat.store_alert.negative, 4);
    assert.equal((await heartbeat("hyd-1", {})).store_alert, undefined);
    await page.click("#nav-stores");
    await page.waitForSelector('#stores-table tr[data-store="blr"] .store-alert');
    assert.match(await page.textContent('#stores-table tr[data-store="blr"] .store-alert'), /Store alert, all tills: 4\/4 negative · 15 min/);
    assert.equal(await page.$$eval("#stores-table .store-alert", (e) => e.length), 1);
    await shot("stores-store-alert");
    await page.selectOption("#lang", "te");
    await page.waitForFunction(() => (document.querySelector('#stores-table tr[data-store="blr"] .store-alert')?.textContent ?? "")
      .includes("స్టోర్ హెచ్చరిక"), null, { timeout: 10000 });
    await shot("stores-store-alert-te");
    await page.selectOption("#lang", "en");
    await page.waitForFunction(() => document.documentElement.lang === "en");
  });

  await step("one person across stores: only the ids head office linked are compared", async () => {
    // r1 is a different person in every store (the seed gives each store the same roster ids);
    // head office says blr's r1 and hyd's r4 are one person.
    cli("link-rep", "--store", "blr", "--rep", "r1", "--person", "anil.s");
    cli("link-rep", "--store", "hyd", "--rep", "r4", "--person", "anil.s");
    await page.click("#nav-stores");
    await page.click("#linked-link");
    await page.waitForSelector("#linked-table tbody tr");
    const keys = await page.$$eval("#linked-table tbody tr", (rows) => rows.map((r) => `${r.dataset.person}/${r.dataset.store}/${r.dataset.rep}`));
    assert.deepEqual(keys, ["anil.s/blr/r1", "anil.s/hyd/r4"]);
    assert.match(await page.textContent('#linked-table tr[data-store="hyd"]'), /सुनिता श्रेष्ठ/);
    assert.match(await page.textContent("#linked-legend"), /link-rep/);
    await shot("linked-people");
    await page.selectOption("#lang", "hi");
    await page.waitForFunction(() => (document.querySelector("#linked-legend")?.textContent ?? "").includes("मुख्य कार्यालय"), null, { timeout: 10000 });
    await shot("linked-people-hi");
    await page.selectOption("#lang", "en");
    await page.waitForFunction(() => document.documentElement.lang === "en");
  });

  await step("log out: the cookie is gone and the data is closed", async () => {
    await page.click("#logout");
    await page.waitForSelector("#login-form", { state: "visible" });
    assert.equal((await context.cookies()).some((c) => c.name === "fk_session" && c.value), false);
    const status = await page.evaluate(async () => (await fetch("/api/v1/reports/stores")).status);
    assert.equal(status, 401);
    await page.reload();
    await page.waitForSelector("#login-form", { state: "visible" });
    assert.equal(await page.isVisible("#view"), false);
  });

  await step("every locale has every string", async () => {
    const missing = await page.evaluate(() => {
      const all = window.FK_STRINGS;
      const out = [];
      for (const [lang, strings] of Object.entries(all))
        for (const key of Object.keys(all.en)) if (!(key in strings)) out.push(`${lang}.${key}`);
      return out;
    });
    assert.deepEqual(missing, []);
  });

  await step("no script errors in the page", async () => {
    assert.deepEqual(consoleErrors.filter((e) => !/401|403/.test(e)), []);
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
console.log("all web dashboard tests passed");
