// Accessibility of the head-office dashboard in a real headless Chromium: npm's axe-core (WCAG 2.0
// and 2.1, levels A and AA) on every view (log in, set password, stores, one store with its reps,
// heatmap in both modes and trend, fleet, calls, people, account, survey editor, linked people,
// staff notice) in all five languages must find
// nothing. On a phone (390 px wide) every rep's score and lower bound is on screen without
// scrolling sideways. The rating colours are the kiosk's colour-blind-safe faces (Okabe-Ito), and
// the heatmap's scale is not red-green. Screenshots go to --out.
//
// Usage: node a11y.test.mjs --server build/kiosk-server --out build/web-screenshots
// Exit 0 pass, 1 fail, 77 skipped (playwright-core, axe-core or chromium missing, FK_REQUIRE_WEB unset).
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import assert from "node:assert/strict";
import {
  browserSetup, freshPage, launch, lastLine, post, secretOf, serverDb, skip, startServer, reportAndExit, stepRunner, stopServer,
  uuidv7,
} from "./support.mjs";

const { chromium, serverBin, outDir } = await browserSetup("fk-web-a11y");
let axeSource;
try {
  axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
} catch (e) {
  skip("axe-core is not installed; run npm ci in tests/web (scripts/test does)");
}

// --- A server with one store whose reps, heatmap, trend, fleet and calls all have data ---------
const { dir, db, cli } = serverDb(serverBin, "fk-a11y-");
cli("add-store", "--id", "blr", "--name", "बेंगलुरु सेंट्रल");
const kioskToken = lastLine(cli("add-kiosk", "--store", "blr", "--id", "blr-1"));
const adminLink = secretOf(lastLine(cli("add-user", "maria", "--role", "admin")));
const password = "a long enough password";
const config = {
  protocol: 1,
  survey: { scale: 4, question: { en: "How did we do?" } },
  roster: [
    { id: "r1", name: "अनिल शर्मा", active: true }, { id: "r2", name: "రవి కుమార్", active: true },
    { id: "r3", name: "Søren Østergård", active: true }, { id: "r4", name: "Asha", active: true },
  ],
  reasons: [
    { id: "rude", labels: { en: "Rude", hi: "असभ्य व्यवहार", te: "మర్యాద లేదు" }, attributable_to_rep: true },
    { id: "wait_time", labels: { en: "Waiting time", hi: "इंतज़ार", te: "వేచి ఉండటం" }, attributable_to_rep: false },
  ],
  locales: ["en", "hi", "te"],
};
writeFileSync(join(dir, "config.json"), JSON.stringify(config));
cli("set-config", "--store", "blr", "--file", join(dir, "config.json"));
const { base, server } = await startServer(serverBin, db, ["--stale-after", "3600"]);

const now = Date.now();
const responses = [];
let seed = 7;
const rand = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
for (const [rep, good, count] of [["r1", 90, 120], ["r2", 55, 90], ["r3", 75, 60], ["r4", 95, 8]]) {
  for (let i = 0; i < count; i++) {
    const created = now - 60_000 - rand(6 * 86_400_000);
    const positive = rand(100) < good;
    responses.push({ created, rating: positive ? 3 + rand(2) : 1 + rand(2), rep,
      reason: positive ? null : ["rude", "wait_time"][rand(2)] });
  }
}
responses.sort((a, b) => a.created - b.created);
const wire = responses.map((r, i) => ({
  id: uuidv7(r.created), seq: i + 1, created_at: new Date(r.created).toISOString(),
  closed_at: new Date(r.created + 4000).toISOString(), tz_offset_min: 330, scale: 4, rating: r.rating,
  rep_id: r.rep, reason: r.reason, language: "hi", misuse: null,
}));
for (let i = 0; i < wire.length; i += 200) {
  await post(base, "/api/v1/batches", kioskToken,
    { protocol: 1, kiosk_id: "blr-1", batch_id: uuidv7(Date.now()), responses: wire.slice(i, i + 200) });
}
await post(base, "/api/v1/kiosks/blr-1/heartbeat", kioskToken, {
  pending: 12, oldest_pending_age_ms: 60_000, clock: new Date().toISOString(), version: "1.4.0",
  last_error: null, alert: "5 of 6 negative in the last 15 minutes",
});
await post(base, "/api/v1/calls", kioskToken, { protocol: 1, kiosk_id: "blr-1", calls: [{
  response_id: uuidv7(Date.now()), asked_at: new Date().toISOString(), tz_offset_min: 330, scale: 4,
  rating: 1, rep_id: "r1", reason: "wait_time", language: "hi", late: false, misuse: null }] });

// --- The browser ---------------------------------------------------------------------------------
const { step, failures } = stepRunner();
const languages = ["en", "hi", "ne", "te", "da"];
const tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

async function audit(page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async (runTags) =>
    axe.run(document, { runOnly: { type: "tag", values: runTags }, resultTypes: ["violations"] }), tags);
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}; ${v.nodes.length} node(s), e.g. ` +
    v.nodes.slice(0, 2).map((n) => `${n.target.join(" ")} ${n.failureSummary.replace(/\s+/g, " ")}`).join(" | "));
}

const browser = await launch(chromium);
try {
  const pageErrors = [];
  const fresh = (viewport = { width: 1360, height: 900 }) =>
    freshPage(browser, outDir, pageErrors, { locale: "en-US", viewport });
  // The page redraws the view in the new language; navigating before that redraw ends would let
  // it land over the next view, so wait until the view is no longer busy.
  async function setLanguage(page, lang) {
    await page.selectOption("#lang", lang);
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);
    await page.waitForFunction(() => document.getElementById("view").getAttribute("aria-busy") !== "true");
  }
  // A fresh document, settled, so nothing redraws the form between filling it and the click.
  async function logIn(page) {
    await page.goto(base + "/");
    await page.reload();
    await page.waitForSelector("#login-form", { state: "visible" });
    await page.waitForLoadState("networkidle");
    await page.fill("#username", "maria");
    await page.fill("#password", password);
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith("/api/v1/session") && r.request().method() === "POST"),
      page.click("#login-button"),
    ]);
    assert.equal(res.status(), 200, `log in as maria: HTTP ${res.status()}`);
    try {
      await page.waitForSelector("#stores-table tbody tr", { timeout: 15000 });
    } catch (e) {
      await page.screenshot({ path: join(outDir, "a11y-login-stuck.png"), fullPage: true });
      throw new Error(`no stores table after logging in; at ${page.url()}: ` +
        (await page.evaluate(() => document.body.innerText)).slice(0, 600));
    }
  }

  const { page } = await fresh();
  // The views and what shows each is drawn (its data arrived).
  const views = [
    ["stores", "#/stores", "#stores-table tbody tr"],
    ["store", "#/store/blr", "#reps-table tbody tr"],
    ["fleet", "#/fleet", "#fleet-table tbody tr"],
    ["calls", "#/calls/blr", "#call-list .call"],
    ["people", "#/users", "#access-table"],
    ["account", "#/account", "#account-form"],
    ["survey", "#/survey/blr", "#survey-roster"],
    ["linked people", "#/linked", "#linked-legend"],
  ];

  await step("log in and set password pages: no WCAG A/AA violation in any language", async () => {
    const problems = [];
    for (const lang of languages) {
      await page.goto(base + "/");
      await page.reload();
      await page.waitForSelector("#login-form", { state: "visible" });
      await setLanguage(page, lang);
      for (const v of await audit(page)) problems.push(`login/${lang}: ${v}`);
      await page.goto(`${base}/#set-password=${adminLink}`);
      await page.reload();
      await page.waitForSelector("#set-password-form", { state: "visible" });
      for (const v of await audit(page)) problems.push(`set-password/${lang}: ${v}`);
    }
    for (const p of problems) console.log(`  violation: ${p}`);
    assert.deepEqual(problems, []);
    await setLanguage(page, "en");
    await page.goto(`${base}/#set-password=${adminLink}`);
    await page.reload();
    await page.waitForSelector("#set-password-form", { state: "visible" });
    await page.fill("#new-password", password);
    await page.fill("#new-password2", password);
    await page.click("#set-password-button");
    await page.waitForSelector("#login-form", { state: "visible" });
  });

  await step("every view, in all five languages: no WCAG 2.0/2.1 A or AA violation (axe-core)", async () => {
    await logIn(page);
    const problems = [];
    let audited = 0;
    for (const lang of languages) {
      await setLanguage(page, lang);
      for (const [name, hash, ready] of views) {
        await page.evaluate((h) => { location.hash = h; }, hash);
        await page.waitForSelector(ready);
        await page.waitForFunction(() => document.getElementById("view").getAttribute("aria-busy") !== "true");
        for (const v of await audit(page)) problems.push(`${name}/${lang}: ${v}`);
        ++audited;
        if (name === "store") {
          // The heatmap's other mode has other colours.
          const other = (await page.getAttribute("#heat-volume", "aria-pressed")) === "true" ? "score" : "volume";
          await page.click(`#heat-${other}`);
          for (const v of await audit(page)) problems.push(`store heatmap ${other}/${lang}: ${v}`);
          if (lang === "en" || lang === "te") {
            await page.screenshot({ path: join(outDir, `a11y-store-heat-${other}-${lang}.png`), fullPage: true });
          }
          await page.click(`#heat-${other === "score" ? "volume" : "score"}`);
          ++audited;
        }
      }
    }
    console.log(`  ${audited} views audited`);
    for (const p of problems) console.log(`  violation: ${p}`);
    assert.deepEqual(problems, []);
  });

  await step("the staff notice page, in all five languages: no WCAG A/AA violation", async () => {
    const problems = [];
    for (const lang of languages) {
      await page.goto(`${base}/notice.html`);
      await page.waitForSelector("select");
      await page.selectOption("select", lang);
      await page.waitForFunction((l) => document.documentElement.lang === l, lang);
      for (const v of await audit(page)) problems.push(`notice/${lang}: ${v}`);
    }
    for (const p of problems) console.log(`  violation: ${p}`);
    assert.deepEqual(problems, []);
    await page.goto(base + "/");
  });

  await step("rating colours are the kiosk's Okabe-Ito faces; the heatmap is not red-green", async () => {
    await setLanguage(page, "en");
    await page.evaluate(() => { location.hash = "#/store/blr"; });
    await page.waitForSelector("#reps-table tbody tr");
    const segments = await page.$$eval("#reps-table tbody tr:first-child .dist span",
      (els) => els.map((e) => getComputedStyle(e).backgroundColor));
    // 4-point scale: very negative, negative, positive, very positive (src/ui/FacePainter.cpp).
    assert.deepEqual(segments, ["rgb(213, 94, 0)", "rgb(230, 159, 0)", "rgb(86, 180, 233)", "rgb(0, 158, 115)"]);
    const role = await page.getAttribute("#reps-table tbody tr:first-child .dist", "role");
    assert.equal(role, "img", "the distribution bar is an image with a text alternative");
    if ((await page.getAttribute("#heat-score", "aria-pressed")) !== "true") await page.click("#heat-score");
    const colours = await page.$$eval("#heatmap td", (els) => els.map((e) => getComputedStyle(e).backgroundColor));
    let redGreen = 0;
    for (const c of colours) {
      const [r, g, b] = c.match(/\d+/g).map(Number);
      // A cell that is clearly red or clearly green (the old hsl 0..120 scale) is what must not be.
      if ((r > g + 60 && r > b + 60) || (g > r + 60 && g > b + 60)) ++redGreen;
    }
    assert.equal(redGreen, 0, `red or green heatmap cells: ${redGreen} of ${colours.length}`);
  });

  await step("on a phone (390 px) every rep's score and lower bound are on screen without side-scrolling", async () => {
    const phone = await fresh({ width: 390, height: 844 });
    await logIn(phone.page);
    for (const lang of ["en", "te"]) {
      await setLanguage(phone.page, lang);
      await phone.page.evaluate(() => { location.hash = "#/store/blr"; });
      await phone.page.waitForSelector("#reps-table tbody tr");
      const pageWidth = await phone.page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(pageWidth <= 390, `the page is ${pageWidth} px wide on a 390 px phone (${lang})`);
      const cells = await phone.page.$$eval("#reps-table tbody tr", (rows) => rows.map((tr) => {
        const box = (sel) => { const e = tr.querySelector(sel); const r = e.getBoundingClientRect(); return [r.left, r.right, e.textContent.trim()]; };
        return { score: box('[data-col="score"]'), lower: box('[data-col="lower"]') };
      }));
      assert.equal(cells.length, 4);
      for (const c of cells) {
        for (const [left, right, text] of [c.score, c.lower]) {
          assert.ok(left >= 0 && right <= 390, `a cell "${text}" is at ${left}..${right} px (${lang})`);
        }
      }
      await phone.page.screenshot({ path: join(outDir, `a11y-phone-store-${lang}.png`), fullPage: true });
    }
    await phone.context.close();
  });

  await step("no page errors", async () => assert.deepEqual(pageErrors, []));
} finally {
  await browser.close();
  stopServer(server, dir);
}
reportAndExit(failures, outDir, "all steps passed");
