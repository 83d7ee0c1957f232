// Screenshots of each console page for the README (run by docs/console/shoot.py).
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const input = JSON.parse(process.argv[2]);
const profile = mkdtempSync(join(tmpdir(), "firelab-console-shots-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: input.chromium, headless: true, viewport: { width: 1200, height: 760 },
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const page = context.pages()[0] || await context.newPage();
async function open(hash) {
  await page.goto(`${input.console}/${hash}`);
  await page.waitForFunction((h) => document.getElementById("main").dataset.ready === h, hash);
}
try {
  await open(`#/data/(default)/${input.document}`);
  await page.screenshot({ path: join(input.out, "data.png") });
  await open("#/auth");
  await page.click("[data-test=users] tr:nth-child(2) button");
  await page.waitForFunction(() => document.getElementById("token").value.length > 20);
  await page.screenshot({ path: join(input.out, "auth.png") });
  await open("#/requests?decision=deny");
  await page.screenshot({ path: join(input.out, "requests.png") });
  const id = await page.getAttribute("[data-test=requests] tr[data-request]", "data-request");
  await open(`#/requests/${id}`);
  await page.$eval("[data-test=culprit]", (e) => e.closest(".line").scrollIntoView({ block: "center" }));
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(input.out, "request-trace.png") });
  await open("#/runs");
  await page.click("button[data-schedule=expire_overdue_requests]");
  await page.waitForFunction(() => /HTTP/.test(document.getElementById("schedule-status")?.textContent || ""));
  await page.waitForSelector("[data-test=runs] tr[data-run] >> text=expire_overdue_requests");
  await page.screenshot({ path: join(input.out, "runs.png") });
  await open("#/plots");
  await page.waitForSelector("[data-test=plot] svg");
  await page.screenshot({ path: join(input.out, "analytics.png") });
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
