// What every browser test of the head-office dashboard does the same way: read its arguments,
// skip honestly (exit 77) when playwright-core or Chromium is missing and FK_REQUIRE_WEB is unset,
// set up a real kiosk-server through its CLI on a fresh SQLite file, start it on 127.0.0.1, post
// real batches and heartbeats, launch Debian's Chromium and open pages in it, set a password and
// log in through the page, report steps as ok / not ok, stop the server and exit with the result.
import { spawn, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";

export const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith("--")) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));
export const chromiumPath = process.env.FK_CHROMIUM || "/usr/bin/chromium";

export function skip(why) {
  if (process.env.FK_REQUIRE_WEB === "1") { console.error(`FAIL: ${why} (FK_REQUIRE_WEB=1)`); process.exit(1); }
  console.log(`SKIP: ${why}`);
  process.exit(77);
}

// playwright-core's chromium, the server binary (--server) and the screenshot directory (--out).
export async function browserSetup(defaultOut) {
  let chromium;
  try {
    ({ chromium } = await import("playwright-core"));
  } catch (e) {
    skip("playwright-core is not installed; run npm ci in tests/web (scripts/test does)");
  }
  if (!existsSync(chromiumPath)) skip(`${chromiumPath} is missing; run scripts/setup-deps`);
  const serverBin = args.server;
  assert.ok(serverBin && existsSync(serverBin), `--server must name the kiosk-server binary (got ${serverBin})`);
  const outDir = args.out || join(tmpdir(), defaultOut);
  mkdirSync(outDir, { recursive: true });
  return { chromium, serverBin, outDir };
}

export const lastLine = (s) => s.trim().split("\n").pop().trim();

// A fresh server database and its CLI (`cli("add-store", "--id", "blr")`).
export function serverDb(serverBin, prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const db = join(dir, "server.db");
  const cli = (...a) => execFileSync(serverBin, [...a, "--db", db], { encoding: "utf8" });
  return { dir, db, cli };
}

// add-user's last line is a link whose fragment carries the one-time secret.
export function secretOf(line) {
  const m = /#set-password=(fkl_[0-9a-f]{64})$/.exec(line);
  assert.ok(m, `add-user's last line is a set-password link: ${line}`);
  return m[1];
}

// `kiosk-server serve` on 127.0.0.1:0; resolves with { base, server } once it prints its port.
export async function startServer(serverBin, db, extra = []) {
  const server = spawn(serverBin, ["serve", "--db", db, "--listen", "127.0.0.1:0", ...extra],
    { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  const base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("kiosk-server did not start: " + log)), 15000);
    server.stderr.on("data", (d) => {
      log += d;
      const m = log.match(/on 127\.0\.0\.1:(\d+)/);
      if (m) { clearTimeout(timer); resolve(`http://127.0.0.1:${m[1]}`); }
    });
    server.on("exit", (code) => reject(new Error(`kiosk-server exited ${code}: ${log}`)));
  });
  return { base, server };
}

export function uuidv7(ms) {
  const b = randomBytes(16);
  b.writeUIntBE(ms, 0, 6);
  b[6] = 0x70 | (b[6] & 0x0f);
  b[8] = 0x80 | (b[8] & 0x3f);
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// A JSON POST that must answer 200.
export async function post(base, path, token, body) {
  const res = await fetch(base + path, {
    method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  assert.equal(res.status, 200, `${path}: ${JSON.stringify(json)}`);
  return json;
}

// Named steps: a failing step is reported with its stack and the run goes on; finish() exits 1
// if any failed.
export function stepRunner() {
  const failures = [];
  async function step(name, fn) {
    try {
      await fn();
      console.log(`ok - ${name}`);
    } catch (e) {
      failures.push(name);
      console.log(`not ok - ${name}\n  ${String(e.stack || e).split("\n").slice(0, 6).join("\n  ")}`);
    }
  }
  return { step, failures };
}

// Debian's Chromium, headless; `extraArgs` are more command-line switches.
export function launch(chromium, extraArgs = []) {
  return chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox", "--headless", ...extraArgs] });
}

// A new browser context (playwright's `contextOptions`) and page; uncaught page errors, and with
// `consoleToo` the console's errors, are pushed to `errors`; shot(name) saves a full-page
// screenshot as outDir/name.png.
export async function freshPage(browser, outDir, errors, contextOptions = {}, { consoleToo = false } = {}) {
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  if (consoleToo) page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  return { context, page, shot: (name) => page.screenshot({ path: join(outDir, `${name}.png`), fullPage: true }) };
}

// The one-time link's form: sets `password` and waits for the login form it leads to.
export async function setPassword(page, base, secret, password) {
  await page.goto(`${base}/#set-password=${secret}`);
  await page.waitForSelector("#set-password-form", { state: "visible" });
  await page.fill("#new-password", password);
  await page.fill("#new-password2", password);
  await page.click("#set-password-button");
  await page.waitForSelector("#login-form", { state: "visible" });
}

// Fills the login form on the page and clicks; resolves with the session answer's HTTP status.
export async function logIn(page, name, password) {
  await page.fill("#username", name);
  await page.fill("#password", password);
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith("/api/v1/session") && r.request().method() === "POST"),
    page.click("#login-button"),
  ]);
  return res.status();
}

// The end of every test: the server stopped and its directory removed.
export function stopServer(server, dir) {
  server.kill("SIGTERM");
  if (dir) rmSync(dir, { recursive: true, force: true });
}

// The last lines of every test: where the screenshots are, then exit 1 naming the failed steps,
// or `passed` and exit 0.
export function reportAndExit(failures, outDir, passed) {
  console.log(`screenshots in ${outDir}`);
  if (failures.length) {
    console.log(`${failures.length} step(s) failed: ${failures.join("; ")}`);
    process.exit(1);
  }
  console.log(passed);
}
