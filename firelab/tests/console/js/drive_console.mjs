// Drives the firelab console in headless Chromium (playwright-core, the distribution's browser)
// through the steps a developer takes, and prints what each page showed as one JSON object.
// Input: one JSON argument {console, firestore, project, artifacts, chromium, pages}.
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const input = JSON.parse(process.argv[2]);
const report = {};
const profile = mkdtempSync(join(tmpdir(), "firelab-console-chromium-"));
const flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--disable-dev-shm-usage"];
// The fresh profile directory is Chromium's --user-data-dir (playwright passes it as such).
const context = await chromium.launchPersistentContext(profile, {
  executablePath: input.chromium, headless: true, args: flags, viewport: { width: 1280, height: 860 },
});
const page = context.pages()[0] || await context.newPage();
const consoleErrors = [];
page.on("pageerror", (error) => consoleErrors.push(String(error)));

async function open(hash) {
  await page.goto(`${input.console}/${hash}`);
  await page.waitForFunction((h) => document.getElementById("main").dataset.ready === h, hash);
}

async function shoot(name) {
  const path = join(input.artifacts, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

try {
  for (const step of input.steps) {
    if (step === "data") {
      await open(`#/data/(default)/${input.document}`);
      report.fields = await page.$$eval("[data-test=fields] td[data-field]", (cells) =>
        Object.fromEntries(cells.map((c) => [c.dataset.field, c.textContent])));
      report.types = await page.$$eval("[data-test=fields] tr", (rows) =>
        Object.fromEntries(rows.slice(1).map((r) => [r.cells[0].textContent, r.cells[1].textContent])));
      report.documentRuns = await page.$$eval("[data-test=runs] tr[data-run]", (rows) => rows.length);
      report.dataScreenshot = await shoot("data");
      // Edit a field as an admin.
      await page.click(`button.edit-field[data-field="${input.edit.field}"]`);
      await page.fill("td[data-field] input.edit-value", input.edit.value);
      await page.click("button.save-field");
      await page.waitForFunction(([field, value]) =>
        document.querySelector(`td[data-field="${field}"]`)?.textContent === value, [input.edit.field, input.edit.value]);
      report.edited = true;
      // A client writes: the open page follows without a reload.
      const name = `projects/${input.project}/databases/(default)/documents/${input.document}`;
      const response = await fetch(`http://${input.firestore}/v1/${name}?updateMask.fieldPaths=${input.live.field}`, {
        method: "PATCH", headers: { Authorization: "Bearer owner", "Content-Type": "application/json" },
        body: JSON.stringify({ fields: { [input.live.field]: { stringValue: input.live.value } } }),
      });
      report.liveWriteStatus = response.status;
      await page.waitForFunction(([field, value]) =>
        document.querySelector(`td[data-field="${field}"]`)?.textContent === JSON.stringify(value), [input.live.field, input.live.value]);
      report.liveUpdate = true;
    } else if (step === "query") {
      await open(`#/data/(default)/${input.query.collection}`);
      await page.fill(".filter .f-field", input.query.field);
      await page.selectOption(".filter .f-op", input.query.op);
      await page.fill(".filter .f-value", input.query.value);
      await page.fill("#q-order", input.query.orderBy);
      await page.click("#run-query");
      await page.waitForSelector("[data-test=index-need]");
      report.indexNeed = await page.textContent("[data-test=index-need]");
      report.queryScreenshot = await shoot("query");
    } else if (step === "requests") {
      await open("#/requests?decision=deny");
      await page.waitForSelector("[data-test=requests] tr[data-request]");
      report.deniedRows = await page.$$eval("[data-test=requests] tr[data-request]", (rows) =>
        rows.map((r) => ({ id: r.dataset.request, cells: [...r.cells].map((c) => c.textContent) })));
      const wanted = report.deniedRows.find((r) => r.cells[1] === input.denied.uid && r.cells[4].includes(input.document));
      await page.click(`tr[data-request="${wanted.id}"]`);
      await page.waitForSelector("[data-test=culprit]");
      report.culprit = await page.textContent("[data-test=culprit]");
      report.culpritSummary = await page.textContent("[data-test=culprit-summary]");
      report.culpritVisible = await page.isVisible("[data-test=culprit]");
      report.culpritBackground = await page.$eval("[data-test=culprit]", (e) => getComputedStyle(e).backgroundColor);
      await page.$eval("[data-test=culprit]", (e) => e.scrollIntoView({ block: "center" }));
      report.requestsScreenshot = await shoot("requests");
    } else if (step === "runs") {
      await open(`#/runs?document=${encodeURIComponent(input.document)}`);
      await page.waitForSelector("[data-test=runs] tr[data-run]");
      report.runs = await page.$$eval("[data-test=runs] tr[data-run]", (rows) => rows.map((r) => ({
        function: r.cells[1].textContent, document: r.cells[3].textContent, duration: r.cells[4].textContent,
        outcome: r.cells[5].textContent, reads: r.cells[7].textContent, writes: r.cells[8].textContent })));
      report.runsScreenshot = await shoot("runs");
      await page.click("[data-test=runs] tr[data-run]:last-child");
      await page.waitForSelector("[data-test=cost]");
      report.runCost = await page.textContent("[data-test=cost]");
    } else if (step === "schedule") {
      await open("#/runs");
      await page.click(`button[data-schedule="${input.schedule}"]`);
      await page.waitForFunction((name) => document.getElementById("schedule-status")?.textContent?.startsWith(`${name}: HTTP`), input.schedule);
      report.scheduleStatus = await page.textContent("#schedule-status");
    } else if (step === "auth") {
      await open("#/auth");
      report.users = await page.$$eval("[data-test=users] tr", (rows) => rows.slice(1).map((r) => [r.cells[0].textContent, r.cells[2].textContent]));
      await page.click("[data-test=users] tr:nth-child(2) button");
      await page.waitForFunction(() => document.getElementById("token").value.length > 20);
      report.token = await page.inputValue("#token");
      report.authScreenshot = await shoot("auth");
    } else if (step === "plots") {
      await open("#/plots");
      await page.waitForSelector("[data-test=plot] svg");
      report.plots = await page.$$eval("[data-test=plot]", (plots) => plots.map((p) => ({
        title: p.querySelector("h2")?.textContent, values: [...p.querySelectorAll("[data-value]")].map((e) => e.dataset.value),
        width: p.querySelector("svg").getBoundingClientRect().width })));
      report.plotsScreenshot = await shoot("analytics");
    }
  }
} catch (error) {
  report.failure = String(error.stack || error);
  report.failureScreenshot = await shoot("failure").catch(() => null);
} finally {
  report.pageErrors = consoleErrors;
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify(report));
