// Swagger UI's "Authorize" button with OAuth2's password flow, in headless Chromium driven by
// playwright-core (Debian's chromium, never a downloaded browser): log in through the dialog
// (Swagger UI posts to the scheme's tokenUrl), then "Try it out" on an operation that needs the
// token; the server must answer 201 with the user the token names.
// usage: BASE_URL=http://127.0.0.1:PORT CHROMIUM=/usr/bin/chromium OUT=dir node authorize.mjs
import { chromium } from "playwright-core";

const base = process.env.BASE_URL;
const out = process.env.OUT ?? ".";
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"],
});
let failed = false;
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
  // Nothing may leave the loopback server.
  await page.route("**/*", (route) => {
    const url = new URL(route.request().url());
    return url.hostname === "127.0.0.1" ? route.continue() : route.abort();
  });
  await page.goto(`${base}/docs`);
  await page.click(".auth-wrapper button.authorize");
  // The dialog lists every scheme; the OAuth2 one is the block named after it.
  const oauth = page.locator(".auth-container", { hasText: "OAuth2PasswordBearer" });
  await oauth.locator("#oauth_username").fill("alice");
  await oauth.locator("#oauth_password").fill("secret");
  await oauth.locator(".auth-btn-wrapper button.authorize").click();
  await oauth.locator(".auth-btn-wrapper button", { hasText: "Logout" })
      .waitFor({ timeout: 10000 });
  console.log("authorize: logged in through the dialog (password flow against the token URL)");
  await page.click(".dialog-ux button.close-modal");

  const op = page.locator("#operations-posts-create_post_api_v1_posts__post");
  await op.locator(".opblock-summary").click();
  await op.locator("button.try-out__btn").click();
  await op.locator("textarea.body-param__text").fill(
      JSON.stringify({ title: "From Swagger UI", body: "text", status: "draft", tags: [] }));
  await op.locator("button.execute").click();
  const live = op.locator(".live-responses-table .response");
  await live.first().waitFor({ timeout: 10000 });
  const status = (await live.locator(".response-col_status").first().innerText()).trim();
  const body = await op.locator(".live-responses-table .microlight").first().innerText();
  await page.screenshot({ path: `${out}/authorize.png`, fullPage: false });
  if (status !== "201" || !body.includes('"alice"')) {
    console.error(`authorize: expected 201 for alice, got ${status}: ${body}`);
    failed = true;
  } else {
    console.log("authorize: the authorized request was answered 201 for alice");
  }
} catch (e) {
  console.error(`authorize: ${e}`);
  for (const p of browser.contexts().flatMap((c) => c.pages()))
    await p.screenshot({ path: `${out}/authorize-failed.png` });
  failed = true;
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
