// A typed client of the example blog server, generated from the OpenAPI document that
// `blog-server openapi` prints (openapi-typescript → schema.d.ts) and used through
// openapi-fetch. `tsc --strict` checks every call against the document; running it against a
// live server checks the answers against the contract (examples/blog/README.md): the scripted
// session of tests/blog/e2e.sh — register, login, posts (create, publish, update, delete),
// refresh-token rotation, logout revocation, avatar upload — with statuses and bodies checked
// at every step. Stops at the first failed expectation with a non-zero exit status.
//
// The document declares only the success response and 422 of each operation, not the 400,
// 401, 403 and 404 answers that carry `{"detail": "<message>"}`; their bodies are therefore
// read as `unknown` and narrowed at run time (see `detailOf`).
//
// usage: BASE_URL=http://127.0.0.1:PORT node out/blog.js  (a fresh server: see blog-client.sh;
// it expects ACCESS_TOKEN_EXPIRE_MINUTES=30, the default)
import { randomBytes } from "node:crypto";
import createClient from "openapi-fetch";
import type { components, paths } from "./schema.js";

type User = components["schemas"]["User"];
type Token = components["schemas"]["Token"];
type ValidationError = components["schemas"]["ValidationError"];

const baseUrl = process.env.BASE_URL;
if (!baseUrl) {
  console.error("blog-client: BASE_URL is not set");
  process.exit(2);
}
const api = createClient<paths>({ baseUrl });

// The last response, for the failure message (a clone: openapi-fetch reads the original).
interface Exchange {
  method: string;
  url: string;
  status: number;
  body: string;
}
let last: Exchange | undefined;
api.use({
  async onResponse({ request, response }) {
    last = {
      method: request.method,
      url: request.url,
      status: response.status,
      body: await response.clone().text(),
    };
  },
});

class Failure extends Error {}

let stepName = "";
let steps = 0;
let checks = 0;

function expect(condition: boolean, what: string): void {
  checks++;
  if (!condition) throw new Failure(what);
}

function expectEqual<T>(actual: T, expected: T, what: string): void {
  checks++;
  if (actual !== expected) {
    throw new Failure(
        `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

// The parts of an openapi-fetch result these checks need.
interface Result<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The typed body of a successful answer with the given status. */
function success<T>(res: Result<T>, status: number, what: string): T {
  expectEqual(res.response.status, status, `${what}: status`);
  checks++;
  if (res.data === undefined) throw new Failure(`${what}: no body`);
  return res.data;
}

/** `detail` of an error body `{"detail": "<message>"}`, if it has that shape. */
function detailOf(body: unknown): string | undefined {
  if (typeof body === "object" && body !== null && "detail" in body &&
      typeof body.detail === "string") {
    return body.detail;
  }
  return undefined;
}

/** An error answer with the given status and `{"detail": detail}`. */
function failure(res: Result<unknown>, status: number, detail: string, what: string): void {
  expectEqual(res.response.status, status, `${what}: status`);
  expectEqual(detailOf(res.error), detail, `${what}: detail`);
}

/** A 422 answer: its (typed) items, whose `loc` must be the given ones, in any order. */
function invalid(res: { error?: { detail?: ValidationError[] }; response: Response },
                 locs: string[], what: string): ValidationError[] {
  expectEqual(res.response.status, 422, `${what}: status`);
  const items = res.error?.detail ?? [];
  const got = items.map((e) => e.loc.join(".")).sort();
  expectEqual(got.join(" "), [...locs].sort().join(" "), `${what}: error locations`);
  return items;
}

function expectTraceHeaders(res: { response: Response }, what: string): void {
  expect((res.response.headers.get("x-request-id") ?? "") !== "", `${what}: X-Request-ID set`);
  expect(/^\d+(\.\d+)?$/.test(res.response.headers.get("x-process-time") ?? ""),
         `${what}: X-Process-Time is a plain decimal`);
}

function expectTimestamp(value: string | null | undefined, what: string): string {
  checks++;
  if (typeof value !== "string" || !/(Z|\+00:00)$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new Failure(`${what}: expected an RFC 3339 UTC timestamp, got ${JSON.stringify(value)}`);
  }
  return value;
}

function expectNoPassword(user: User, what: string): void {
  const keys = Object.keys(user);
  expect(!keys.some((k) => k.includes("password")),
         `${what}: no password field (${keys.join(", ")})`);
}

function bearer(token: string): { Authorization: string } {
  // The scheme name is case-insensitive: the lower-case form must work too.
  return { Authorization: `bearer ${token}` };
}

async function step<T>(name: string, body: () => Promise<T>): Promise<T> {
  stepName = name;
  const before = checks;
  const result = await body();
  steps++;
  console.log(`blog-client: ok   ${name} (${checks - before} checks)`);
  return result;
}

// Names of this run: the session also works against a database that already has data.
const tag = randomBytes(4).toString("hex");
const alice = { email: `alice-${tag}@example.com`, username: `alice_${tag}`,
                password: "alice-password-1" };
const bob = { email: `bob-${tag}@example.com`, username: `bob_${tag}`, password: "bob-password-1" };

async function login(email: string, password: string): Promise<Token> {
  const res = await api.POST("/api/v1/auth/login", {
    body: { username: email, password },
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  });
  const token = success(res, 200, `login ${email}`);
  expectEqual(token.token_type, "bearer", "token_type");
  expectEqual(token.expires_in, 30 * 60, "expires_in (ACCESS_TOKEN_EXPIRE_MINUTES × 60)");
  expect(token.access_token.length > 0 && token.refresh_token.length > 0, "tokens not empty");
  return token;
}

async function main(): Promise<void> {
  await step("GET /health", async () => {
    const res = await api.GET("/health", { headers: { "X-Request-ID": `blog-client-${tag}` } });
    const health = success(res, 200, "GET /health");
    expectEqual(health.status, "healthy", "status");
    expect(health.version.length > 0, "version set");
    expectEqual(res.response.headers.get("x-request-id"), `blog-client-${tag}`,
                "X-Request-ID echoed");
    expectTraceHeaders(res, "GET /health");
  });

  const users = await step("register two users", async () => {
    const a = await api.POST("/api/v1/auth/register", {
      body: { email: alice.email, username: alice.username, password: alice.password,
              full_name: "Alice A" },
    });
    const aliceUser = success(a, 200, "register alice");
    expectEqual(aliceUser.email, alice.email, "email");
    expectEqual(aliceUser.username, alice.username, "username");
    expectEqual(aliceUser.full_name, "Alice A", "full_name");
    expectEqual(aliceUser.avatar_url, null, "avatar_url");
    expectEqual(aliceUser.is_active, true, "is_active");
    expectEqual(aliceUser.is_superuser, false, "is_superuser");
    expectTimestamp(aliceUser.created_at, "created_at");
    expectNoPassword(aliceUser, "register alice");
    expectTraceHeaders(a, "register");

    const b = await api.POST("/api/v1/auth/register", {
      body: { email: bob.email, username: bob.username, password: bob.password },
    });
    const bobUser = success(b, 200, "register bob");
    expectEqual(bobUser.full_name, null, "bob's full_name");
    expectNoPassword(bobUser, "register bob");
    expect(bobUser.id !== aliceUser.id, "two users, two ids");
    return { alice: aliceUser, bob: bobUser };
  });
  const aliceId = users.alice.id;
  const bobId = users.bob.id;

  await step("registration errors (400, 422)", async () => {
    const again = await api.POST("/api/v1/auth/register", {
      body: { email: alice.email, username: `alice2_${tag}`, password: alice.password },
    });
    failure(again, 400, "Email already registered", "the same e-mail again");

    const taken = await api.POST("/api/v1/auth/register", {
      body: { email: `carol-${tag}@example.com`, username: bob.username, password: "carol-pass-1" },
    });
    failure(taken, 400, "Username already taken", "a taken username");

    const bad = await api.POST("/api/v1/auth/register", {
      body: { email: "not an e-mail", username: "ab", password: "short" },
    });
    const items = invalid(bad, ["body.email", "body.password", "body.username"],
                          "bad e-mail, username and password: every error");
    const pw = items.find((e) => e.loc.join(".") === "body.password");
    // `input` is in every item (the contract) but not in the document's ValidationError.
    expect(pw !== undefined && "input" in pw && pw.input === "**********",
           "the password is never echoed (input is \"**********\")");
  });

  const tokens = await step("log in", async () => {
    const aliceToken = await login(alice.email, alice.password);
    const bobToken = await login(bob.email, bob.password);
    expect(aliceToken.refresh_token !== bobToken.refresh_token, "distinct refresh tokens");

    const wrong = await api.POST("/api/v1/auth/login", {
      body: { username: alice.email, password: "not-the-password" },
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    failure(wrong, 401, "Incorrect email or password", "a wrong password");
    expectEqual(wrong.response.headers.get("www-authenticate"), "Bearer",
                "WWW-Authenticate on a failed login");

    const me = await api.GET("/api/v1/users/me", { headers: bearer(aliceToken.access_token) });
    const user = success(me, 200, "GET /users/me");
    expectEqual(user.id, aliceId, "GET /users/me: id");
    expectEqual(user.email, alice.email, "GET /users/me: email");

    const anonymous = await api.GET("/api/v1/users/me");
    failure(anonymous, 401, "Not authenticated", "GET /users/me without a token");
    expectEqual(anonymous.response.headers.get("www-authenticate"), "Bearer",
                "WWW-Authenticate without a token");
    return { alice: aliceToken, bob: bobToken };
  });
  const aliceToken = tokens.alice;
  let aliceAuth = bearer(aliceToken.access_token);
  const bobAuth = bearer(tokens.bob.access_token);

  const posts = await step("create posts (slugs, published_at)", async () => {
    const accented = await api.POST("/api/v1/posts/", {
      body: { title: `Crème brûlée à la carte ${tag}`, content: "Bob's post.",
              published: true },
      headers: bobAuth,
    });
    const bobPost = success(accented, 201, "bob's post");
    expectEqual(bobPost.slug, `creme-brulee-a-la-carte-${tag}`, "slug folded to ASCII");
    expectEqual(bobPost.author.id, bobId, "author");

    const created = await api.POST("/api/v1/posts/", {
      body: { title: `Hello, World: First Post! ${tag}`, content: "The first post.",
              excerpt: "First.", published: true },
      headers: aliceAuth,
    });
    const firstPost = success(created, 201, "a published post");
    expectEqual(firstPost.slug, `hello-world-first-post-${tag}`, "slug");
    expectEqual(firstPost.published, true, "published");
    expectEqual(firstPost.excerpt, "First.", "excerpt");
    expectEqual(firstPost.author_id, aliceId, "author_id");
    expectEqual(firstPost.author.id, aliceId, "author.id");
    expectEqual(firstPost.author.username, alice.username, "author.username");
    expectTimestamp(firstPost.published_at, "published_at set");
    expectTraceHeaders(created, "POST /posts/");

    const secret = await api.POST("/api/v1/posts/", {
      body: { title: `Secret draft ${tag}`, content: "Not yet." },
      headers: aliceAuth,
    });
    const draft = success(secret, 201, "a draft");
    expectEqual(draft.published, false, "published (default false)");
    expectEqual(draft.published_at ?? null, null, "published_at of a draft");
    expectEqual(draft.slug, `secret-draft-${tag}`, "slug");

    const same = await api.POST("/api/v1/posts/", {
      body: { title: `Hello, World: First Post! ${tag}`, content: "Same title again.",
              published: true },
      headers: aliceAuth,
    });
    const samePost = success(same, 201, "the same title again");
    expectEqual(samePost.slug, `${firstPost.slug}-2`, "slug on a clash");

    const short = await api.POST("/api/v1/posts/", {
      body: { title: "Hi", content: "" },
      headers: aliceAuth,
    });
    invalid(short, ["body.content", "body.title"], "a short title and empty content");

    const anonymous = await api.POST("/api/v1/posts/", {
      body: { title: "Nobody's", content: "x" },
    });
    failure(anonymous, 401, "Not authenticated", "a post without a token");
    return { first: firstPost, draft, same: samePost, bob: bobPost };
  });
  const first = posts.first;
  const secret = posts.draft;

  await step("drafts are visible to their author only", async () => {
    const byBob = await api.GET("/api/v1/posts/{post_id}", {
      params: { path: { post_id: secret.id } }, headers: bobAuth,
    });
    failure(byBob, 404, "Post not found", "bob reads alice's draft");
    expectTraceHeaders(byBob, "404");

    const anonymous = await api.GET("/api/v1/posts/{post_id}", {
      params: { path: { post_id: secret.id } },
    });
    failure(anonymous, 404, "Post not found", "an anonymous reader reads the draft");

    const bySlug = await api.GET("/api/v1/posts/by-slug/{slug}", {
      params: { path: { slug: secret.slug } }, headers: bobAuth,
    });
    failure(bySlug, 404, "Post not found", "bob reads the draft by slug");

    const own = await api.GET("/api/v1/posts/{post_id}", {
      params: { path: { post_id: secret.id } }, headers: aliceAuth,
    });
    expectEqual(success(own, 200, "alice reads her draft").id, secret.id, "id");

    const published = await api.GET("/api/v1/posts/{post_id}", {
      params: { path: { post_id: first.id } },
    });
    expectEqual(success(published, 200, "anyone reads a published post").title, first.title,
                "title");
  });

  await step("updates (403 for others, stable slug)", async () => {
    const hijack = await api.PUT("/api/v1/posts/{post_id}", {
      params: { path: { post_id: first.id } }, body: { title: "Hijacked" }, headers: bobAuth,
    });
    failure(hijack, 403, "Not enough permissions", "bob updates alice's post");

    const unchanged = await api.GET("/api/v1/posts/{post_id}", {
      params: { path: { post_id: first.id } },
    });
    expectEqual(success(unchanged, 200, "after the refused update").title, first.title,
                "the title is unchanged");

    const edit = await api.PUT("/api/v1/posts/{post_id}", {
      params: { path: { post_id: first.id } },
      body: { title: `A New Title ${tag}`, content: "Edited content." },
      headers: aliceAuth,
    });
    const edited = success(edit, 200, "alice updates her post");
    expectEqual(edited.title, `A New Title ${tag}`, "title");
    expectEqual(edited.content, "Edited content.", "content");
    expectEqual(edited.excerpt, "First.", "excerpt (not sent: unchanged)");
    expectEqual(edited.slug, first.slug, "slug unchanged (stable URLs)");
    expectEqual(edited.published_at, first.published_at, "published_at unchanged");
    expect(Date.parse(edited.updated_at) >= Date.parse(first.updated_at), "updated_at not earlier");

    // The document says a string, never null (Patch<Title, not_null>), as the contract does;
    // a client that sends null anyway gets 422.
    const nulls = await api.PUT("/api/v1/posts/{post_id}", {
      params: { path: { post_id: first.id } },
      body: { title: null as unknown as string },
      headers: aliceAuth,
    });
    invalid(nulls, ["body.title"], "title: null");

    const missing = await api.PUT("/api/v1/posts/{post_id}", {
      params: { path: { post_id: 999999999 } }, body: { title: "Nowhere" }, headers: aliceAuth,
    });
    failure(missing, 404, "Post not found", "updating a post that does not exist");
  });

  await step("publish a draft, unpublish it (published_at kept)", async () => {
    const publish = await api.PUT("/api/v1/posts/{post_id}", {
      params: { path: { post_id: secret.id } }, body: { published: true }, headers: aliceAuth,
    });
    const published = success(publish, 200, "publish the draft");
    expectEqual(published.published, true, "published");
    const publishedAt = expectTimestamp(published.published_at, "published_at set on publication");

    const visible = await api.GET("/api/v1/posts/by-slug/{slug}", {
      params: { path: { slug: secret.slug } }, headers: bobAuth,
    });
    expectEqual(success(visible, 200, "bob reads it by slug").id, secret.id, "id");

    const unpublish = await api.PUT("/api/v1/posts/{post_id}", {
      params: { path: { post_id: secret.id } }, body: { published: false }, headers: aliceAuth,
    });
    const back = success(unpublish, 200, "unpublish it");
    expectEqual(back.published, false, "published");
    expectEqual(back.published_at, publishedAt, "published_at kept");

    const hidden = await api.GET("/api/v1/posts/{post_id}", {
      params: { path: { post_id: secret.id } }, headers: bobAuth,
    });
    failure(hidden, 404, "Post not found", "a draft again: bob cannot read it");
  });

  await step("lists (published only, newest first)", async () => {
    const all = await api.GET("/api/v1/posts/", { params: { query: { limit: 100 } } });
    const list = success(all, 200, "GET /posts/");
    expect(list.every((p) => p.published), "published posts only");
    const ours = list.map((p) => p.id).filter((id) => [first.id, secret.id, posts.same.id,
                                                       posts.bob.id].includes(id));
    expectEqual(ours.join(","), [posts.same.id, first.id, posts.bob.id].join(","),
                "this run's published posts, newest first");

    const byAlice = await api.GET("/api/v1/posts/", { params: { query: { author_id: aliceId } } });
    expectEqual(success(byAlice, 200, "GET /posts/?author_id").map((p) => p.id).join(","),
                [posts.same.id, first.id].join(","), "alice's published posts");

    const page = await api.GET("/api/v1/posts/", {
      params: { query: { author_id: aliceId, skip: 1, limit: 1 } },
    });
    expectEqual(success(page, 200, "skip=1&limit=1").map((p) => p.id).join(","), `${first.id}`,
                "the second page of one");

    const tooMany = await api.GET("/api/v1/posts/", { params: { query: { limit: 101 } } });
    invalid(tooMany, ["query.limit"], "limit=101");

    const mine = await api.GET("/api/v1/users/me/posts", { headers: aliceAuth });
    expectEqual(success(mine, 200, "GET /users/me/posts").map((p) => p.id).join(","),
                [posts.same.id, secret.id, first.id].join(","), "own posts, drafts included");
  });

  await step("avatar upload (multipart)", async () => {
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a,
                                  ...new TextEncoder().encode(`not really a png ${tag}`)]);
    const upload = await api.POST("/api/v1/users/me/avatar", {
      // openapi-typescript types a `format: binary` part as a string: the typed body carries
      // the file name, the serializer the bytes (a FormData: fetch sets the boundary).
      body: { file: "avatar.png" },
      bodySerializer: (body) => {
        const form = new FormData();
        form.append("file", new Blob([bytes], { type: "image/png" }), body.file);
        return form;
      },
      headers: aliceAuth,
    });
    const user = success(upload, 200, "POST /users/me/avatar");
    const url = user.avatar_url ?? "";
    expect(url.startsWith("/uploads/avatars/") && url.endsWith(".png"),
           `avatar_url set (${JSON.stringify(user.avatar_url)})`);

    const served = await fetch(new URL(url, baseUrl));
    expectEqual(served.status, 200, `GET ${url}`);
    const got = new Uint8Array(await served.arrayBuffer());
    expect(got.length === bytes.length && got.every((b, i) => b === bytes[i]),
           "the uploaded bytes are served back");

    const me = await api.GET("/api/v1/users/me", { headers: aliceAuth });
    expectEqual(success(me, 200, "GET /users/me").avatar_url, user.avatar_url, "avatar_url kept");

    const text = await api.POST("/api/v1/users/me/avatar", {
      body: { file: "notes.txt" },
      bodySerializer: (body) => {
        const form = new FormData();
        form.append("file", new Blob(["plain text\n"], { type: "text/plain" }), body.file);
        return form;
      },
      headers: aliceAuth,
    });
    expectEqual(text.response.status, 400, "a .txt avatar: status");
    expect(detailOf(text.error) !== undefined, "a .txt avatar: a detail message");
  });

  const rotated = await step("refresh-token rotation", async () => {
    const oldRefresh = aliceToken.refresh_token;
    const refresh = await api.POST("/api/v1/auth/refresh", { body: { refresh_token: oldRefresh } });
    const rotated = success(refresh, 200, "refresh");
    expectEqual(rotated.token_type, "bearer", "token_type");
    expectEqual(rotated.expires_in, 30 * 60, "expires_in");
    expect(rotated.refresh_token !== oldRefresh, "a new refresh token");

    const fresh = await api.GET("/api/v1/users/me", { headers: bearer(rotated.access_token) });
    expectEqual(success(fresh, 200, "the new access token").id, aliceId, "id");

    const reuse = await api.POST("/api/v1/auth/refresh", { body: { refresh_token: oldRefresh } });
    failure(reuse, 401, "Invalid refresh token", "the old refresh token again");

    const access = await api.POST("/api/v1/auth/refresh", {
      body: { refresh_token: aliceToken.access_token },
    });
    failure(access, 401, "Invalid refresh token", "an access token as a refresh token");
    return rotated;
  });

  await step("logout revokes the access token and the refresh tokens", async () => {
    const out = await api.POST("/api/v1/auth/logout", { headers: aliceAuth });
    expectEqual(success(out, 200, "logout").message, "Successfully logged out", "message");

    const me = await api.GET("/api/v1/users/me", { headers: aliceAuth });
    failure(me, 401, "Could not validate credentials", "the logged-out access token");
    expectEqual(me.response.headers.get("www-authenticate"), "Bearer", "WWW-Authenticate");
    expectTraceHeaders(me, "401");

    const refresh = await api.POST("/api/v1/auth/refresh", {
      body: { refresh_token: rotated.refresh_token },
    });
    failure(refresh, 401, "Invalid refresh token", "a refresh token issued before the logout");

    const again = await login(alice.email, alice.password);
    aliceAuth = bearer(again.access_token);
    const back = await api.GET("/api/v1/users/me", { headers: aliceAuth });
    expectEqual(success(back, 200, "login right after logout").id, aliceId, "id");
  });

  await step("delete a post (403 for others, 204, then 404)", async () => {
    const postId = posts.same.id;
    const byBob = await api.DELETE("/api/v1/posts/{post_id}", {
      params: { path: { post_id: postId } }, headers: bobAuth,
    });
    failure(byBob, 403, "Not enough permissions", "bob deletes alice's post");

    const del = await api.DELETE("/api/v1/posts/{post_id}", {
      params: { path: { post_id: postId } }, headers: aliceAuth,
    });
    expectEqual(del.response.status, 204, "alice deletes her post: status");
    expectEqual(last?.body, "", "204 with an empty body");
    expectTraceHeaders(del, "204");

    const gone = await api.GET("/api/v1/posts/{post_id}", {
      params: { path: { post_id: postId } },
    });
    failure(gone, 404, "Post not found", "the deleted post");

    const twice = await api.DELETE("/api/v1/posts/{post_id}", {
      params: { path: { post_id: postId } }, headers: aliceAuth,
    });
    failure(twice, 404, "Post not found", "deleting it again");

    const mine = await api.GET("/api/v1/users/me/posts", { headers: aliceAuth });
    expectEqual(success(mine, 200, "GET /users/me/posts").map((p) => p.id).join(","),
                [secret.id, first.id].join(","), "own posts without the deleted one");
  });

  await step("users by id (self only)", async () => {
    const self = await api.GET("/api/v1/users/{user_id}", {
      params: { path: { user_id: aliceId } }, headers: aliceAuth,
    });
    expectEqual(success(self, 200, "alice reads herself").username, alice.username, "username");

    const other = await api.GET("/api/v1/users/{user_id}", {
      params: { path: { user_id: aliceId } }, headers: bobAuth,
    });
    failure(other, 403, "Not enough permissions", "bob reads alice");

    const list = await api.GET("/api/v1/users/", { headers: bobAuth });
    failure(list, 403, "Not enough permissions", "the user list for a non-superuser");
  });
}

main().then(
  () => console.log(`blog-client: PASS: ${steps} steps, ${checks} checks against ${baseUrl}`),
  (e: unknown) => {
    const message = e instanceof Error ? e.message : String(e);
    console.error(`blog-client: FAILED in step "${stepName}": ${message}`);
    if (!(e instanceof Failure) && e instanceof Error && e.stack) console.error(e.stack);
    if (last) {
      console.error(`  last response: ${last.method} ${last.url} -> ${last.status}`);
      console.error(`  body: ${last.body.slice(0, 2000)}`);
    }
    process.exit(1);
  },
);
