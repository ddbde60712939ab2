// The head-office Calls view (issue 16) in a real headless Chromium (Debian's /usr/bin/chromium via
// playwright-core) against a real kiosk-server: a store manager logs in on a phone-sized page
// (390 x 844), opens the store's live Calls view, a kiosk POSTs a help call, and the call appears
// without a reload (server-sent events), the tab title changes, the manager acknowledges and closes
// it. Screenshots (en, hi, and the closed state) go to --out.
//
// Usage: node calls.test.mjs --server build/kiosk-server --out build/web-screenshots
// Exit 0 pass, 1 fail, 77 skipped (playwright-core or chromium missing and FK_REQUIRE_WEB unset).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import assert from "node:assert/strict";
import {
  browserSetup, freshPage, lastLine, launch, post, serverDb, startServer, reportAndExit, stepRunner, stopServer, uuidv7,
} from "./support.mjs";

// Arguments, the honest skip (exit 77) and the server binary: tests/web/support.mjs.
const { chromium, serverBin, outDir } = await browserSetup("fk-web-screenshots");

const { dir, db, cli } = serverDb(serverBin, "fk-web-calls-");
cli("add-store", "--id", "blr", "--name", "बेंगलुरु सेंट्रल");
const kioskToken = lastLine(cli("add-kiosk", "--store", "blr", "--id", "blr-1"));
const manager = lastLine(cli("add-manager", "--store", "blr"));
// The store's roster and reasons: the Calls view names the rep and the reason in words from them.
const configFile = join(dir, "config.json");
writeFileSync(configFile, JSON.stringify({
  protocol: 1, survey: { scale: 4, question: { en: "How did we do?" } },
  roster: [{ id: "r1", name: "రవి కుమార్", active: true }],
  reasons: [{ id: "wait_time", labels: { en: "Waiting time", hi: "इंतज़ार" }, attributable_to_rep: false }],
  locales: ["en", "hi"],
}));
cli("set-config", "--store", "blr", "--file", configFile);
const { base, server } = await startServer(serverBin, db);
// One earlier response of r1, as the kiosk's batch brings it: the store's reports know the rep.
async function postEarlierResponse() {
  const created = Date.now() - 3_600_000;
  await post(base, "/api/v1/batches", kioskToken, { protocol: 1, kiosk_id: "blr-1", batch_id: uuidv7(Date.now()), responses: [{
    id: uuidv7(created), seq: 1, created_at: new Date(created).toISOString(), closed_at: new Date(created + 4000).toISOString(),
    tz_offset_min: 330, scale: 4, rating: 2, rep_id: "r1", reason: "wait_time", language: "en", misuse: null }] });
}
await postEarlierResponse();
async function postCall(extra) {
  const call = { response_id: uuidv7(Date.now()), asked_at: new Date().toISOString(), tz_offset_min: 330,
    scale: 4, rating: 1, rep_id: "r1", reason: "wait_time", language: "hi", late: false, misuse: null, ...extra };
  const json = await post(base, "/api/v1/calls", kioskToken, { protocol: 1, kiosk_id: "blr-1", calls: [call] });
  assert.equal(json.results[0].status, "accepted");
  return call.response_id;
}

const { step, failures } = stepRunner();
const browser = await launch(chromium, ["--autoplay-policy=no-user-gesture-required"]);
try {
  const consoleErrors = [];
  const { page, shot } = await freshPage(browser, outDir, consoleErrors,
    { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true }, { consoleToo: true });
  let id;

  await step("a manager logs in and opens the live Calls view on a phone", async () => {
    await page.goto(base + "/");
    await page.fill("#token", manager);
    await page.click("#login-button");
    await page.waitForSelector("#nav-calls", { state: "visible" });
    await page.click("#nav-calls");
    await page.waitForSelector("#call-live");
    await page.waitForFunction(() => document.getElementById("call-live").textContent === "Live");
    assert.match(await page.textContent("#call-list"), /No open calls/);
    assert.equal(await page.textContent("#calls-heading"), "Help calls · store बेंगलुरु सेंट्रल", "the store's name, not its id");
    assert.equal(await page.isVisible("#period-box"), false, "no period picker on the live view");
  });

  await step("a kiosk's call appears live, the title changes", async () => {
    const start = Date.now();
    id = await postCall({});
    await page.waitForSelector(`[data-call="${id}"]`, { timeout: 2000 });
    console.log(`     call visible in the page ${Date.now() - start} ms after the POST`);
    assert.match(await page.title(), /\(1\) Help calls/);
    const text = await page.textContent(`[data-call="${id}"]`);
    assert.match(text, /blr-1/);
    assert.match(text, /Reason: Waiting time/, "the reason's label, not its code");
    assert.match(text, /Representative: రవి కుమార్/, "the rep's name, not the id");
    // Usable at 390 px: nothing wider than the screen.
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `page is ${width} px wide`);
    await shot("calls-390-en");
  });

  await step("the view in Hindi", async () => {
    await page.selectOption("#lang", "hi");
    await page.waitForFunction(() => document.querySelector("#call-list article .badge.state")?.textContent === "प्रतीक्षा में");
    assert.match(await page.textContent(`[data-call="${id}"] [data-action="ack"]`), /मैं जा रहा/);
    assert.match(await page.textContent(`[data-call="${id}"]`), /इंतज़ार/, "the reason's Hindi label");
    await shot("calls-390-hi");
    await page.selectOption("#lang", "en");
  });

  await step("acknowledge needs a name, then shows who is going", async () => {
    await page.click(`[data-call="${id}"] [data-action="ack"]`);
    await page.waitForSelector(`[data-call="${id}"] .error:not([hidden])`);
    await page.fill("#call-name", "Asha");
    await page.click(`[data-call="${id}"] [data-action="ack"]`);
    await page.waitForFunction((cid) => document.querySelector(`[data-call="${cid}"]`)?.textContent.includes("Asha is on the way"), id);
    const list = await (await fetch(`${base}/api/v1/calls?store=blr`, { headers: { Authorization: `Bearer ${manager}` } })).json();
    assert.equal(list.calls[0].acked_by, "Asha");
    await shot("calls-390-acknowledged");
  });

  await step("close as helped: the call leaves the open list and is stored closed", async () => {
    await page.selectOption(`[data-call="${id}"] select.outcome`, "helped");
    await page.fill(`[data-call="${id}"] input[type=text]`, "gave a coupon");
    await page.click(`[data-call="${id}"] [data-action="close"]`);
    await page.waitForSelector(`[data-call="${id}"]`, { state: "detached" });
    const list = await (await fetch(`${base}/api/v1/calls?store=blr&status=all`, { headers: { Authorization: `Bearer ${manager}` } })).json();
    assert.equal(list.calls[0].outcome, "helped");
    assert.equal(list.calls[0].note, "gave a coupon");
    assert.equal(list.calls[0].closed_by, "Asha");
  });

  await step("a second call, late, while the page shows it live again", async () => {
    const late = await postCall({ late: true, rep_id: null });
    await page.waitForSelector(`[data-call="${late}"] .badge.late`, { timeout: 2000 });
    await shot("calls-390-late");
  });

  await step("no script errors in the page", async () => {
    // The page asks GET /api/v1/session before login: that 401 is expected.
    assert.deepEqual(consoleErrors.filter((e) => !/401/.test(e)), []);
  });
} finally {
  await browser.close();
  stopServer(server, dir);
}
reportAndExit(failures, outDir, "all steps passed");
