// Browser test of the staff notice (issue 20 item 6), in Debian's headless Chromium through
// playwright-core, against a real kiosk-server started with a settings file: the notice shows
// this server's retention, access-log age, minimum group size and contact in each of the five
// languages, the dashboard links to it, and printing leaves the controls out. Screenshots
// (notice-en.png, notice-te.png, notice-da.png, notice-print-hi.png) go to --out.
//
// Usage: node notice.test.mjs --server build/kiosk-server --out build/web-screenshots
// Exit 0 pass, 1 fail, 77 skipped (playwright-core or chromium missing and FK_REQUIRE_WEB unset).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import assert from "node:assert/strict";
import { browserSetup, freshPage, launch, serverDb, reportAndExit, startServer, stepRunner, stopServer } from "./support.mjs";

// Arguments, the honest skip (exit 77) and the server binary: tests/web/support.mjs.
const { chromium, serverBin, outDir } = await browserSetup("fk-web-screenshots");

const { dir, db } = serverDb(serverBin, "fk-notice-");
const settings = join(dir, "server.toml");
writeFileSync(settings, [
  "[retention]", "responses_days = 365", "",
  "[web]", "access_log_keep_days = 180", "",
  "[reports]", "min_group_size = 8", "",
  "[privacy]", 'organisation = "Nordlys Retail A/S"', 'contact = "HR, privacy@nordlys.example"', "",
].join("\n"));
const { base, server } = await startServer(serverBin, db, ["--config", settings]);

const { step, failures } = stepRunner();

// What each language must say (its title, and a number or name it fills in).
const expected = {
  en: { title: "The feedback kiosk: what it records about customers and staff", days: "365" },
  hi: { title: "फ़ीडबैक कियोस्क: यह ग्राहकों और कर्मचारियों के बारे में क्या दर्ज करता है", days: "365" },
  ne: { title: "फिडब्याक किओस्क: यसले ग्राहक र कर्मचारीबारे के रेकर्ड गर्छ", days: "365" },
  te: { title: "ఫీడ్‌బ్యాక్ కియోస్క్: ఇది కస్టమర్ల గురించి, సిబ్బంది గురించి ఏమి నమోదు చేస్తుంది", days: "365" },
  da: { title: "Feedback-kiosken: hvad den registrerer om kunder og medarbejdere", days: "365" },
};

const browser = await launch(chromium);
try {
  const errors = [];
  const { page, shot } = await freshPage(browser, outDir, errors,
    { locale: "en-US", viewport: { width: 1100, height: 900 } }, { consoleToo: true });
  const text = () => page.textContent("#notice");

  for (const [lang, want] of Object.entries(expected)) {
    await step(`the notice in ${lang}: six sections with this server's settings`, async () => {
      await page.goto(`${base}/notice.html?lang=${lang}`);
      await page.waitForSelector("#notice h1");
      await page.waitForSelector("#notice .footer");
      assert.equal(await page.textContent("#notice h1"), want.title);
      assert.equal(await page.getAttribute("html", "lang"), lang);
      assert.equal((await page.$$("#notice h2")).length, 6);
      const body = await text();
      assert.ok(body.includes(want.days), `retention days in ${lang}`);
      assert.ok(body.includes("Nordlys Retail A/S") && body.includes("privacy@nordlys.example"), "organisation and contact");
      assert.ok(!/\{\w+\}/.test(body), "every placeholder filled");
      if (lang === "en") {
        assert.ok(body.includes("kept 180 days"), "the access log's age");
        assert.ok(body.includes("at least 8 ratings"), "the minimum group size");
      }
      if (lang === "en" || lang === "te" || lang === "da") await shot(`notice-${lang}`);
    });
  }

  await step("the language menu switches the notice in place and keeps it in the address", async () => {
    await page.goto(`${base}/notice.html?lang=en`);
    await page.waitForSelector("#notice .footer");
    await page.selectOption("#lang", "hi");
    assert.equal(await page.textContent("#notice h1"), expected.hi.title);
    assert.ok(page.url().endsWith("lang=hi"));
    assert.equal(await page.textContent("#print"), "प्रिंट करें");
  });

  await step("printing leaves the controls out", async () => {
    await page.emulateMedia({ media: "print" });
    assert.equal(await page.isVisible("#controls"), false);
    assert.equal(await page.isVisible("#notice h1"), true);
    await shot("notice-print-hi");
    await page.emulateMedia({ media: "screen" });
  });

  await step("no script errors on the notice", async () => assert.deepEqual(errors, []));

  await step("the dashboard links to the notice", async () => {
    await page.goto(`${base}/`);  // logged out: its session check answers 401, as it should
    const href = await page.getAttribute("#nav-notice", "href");
    assert.equal(href, "/notice.html");
  });
} finally {
  await browser.close();
  stopServer(server, dir);
}
reportAndExit(failures, outDir, "all steps passed");
