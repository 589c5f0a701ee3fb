// A typed client of the every-feature test app, generated from the OpenAPI document Vivace
// emits (openapi-typescript → schema.d.ts) and used through openapi-fetch. `tsc --strict`
// checks every call against the document; running it checks the answers against the server.
import createClient from "openapi-fetch";
import type { components, paths } from "./schema.js";

type PostOut = components["schemas"]["PostOut"];

const baseUrl = process.env.BASE_URL;
if (!baseUrl) throw new Error("BASE_URL is not set");
const client = createClient<paths>({ baseUrl });

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`client: FAILED: ${what}`);
  console.log(`client: ${what}`);
}

async function main(): Promise<void> {
  const list = await client.GET("/api/v1/posts/", {
    params: { query: { page: 2, status: "published" }, header: { "X-Request-ID": "r1" } },
  });
  const posts: PostOut[] | undefined = list.data;
  check(list.response.status === 200 && posts?.length === 1, "GET /api/v1/posts/ lists posts");
  check(posts?.[0]?.title === "page 2" && posts[0].status === "published",
        "query parameters arrive typed (page, status enum)");

  const created = await client.POST("/api/v1/posts/", {
    body: { title: "Hello", body: "text", status: "draft", tags: ["a"] },
    headers: { Authorization: "Bearer alice" },
  });
  check(created.response.status === 201 && created.data?.author.name === "alice",
        "POST /api/v1/posts/ with a bearer token creates (201)");

  const anonymous = await client.POST("/api/v1/posts/", {
    body: { title: "Hello", body: "text", status: "draft", tags: [] },
  });
  check(anonymous.response.status === 401, "without a token: 401");

  const invalid = await client.POST("/api/v1/posts/", {
    body: { title: "", body: "text", status: "draft", tags: [] },
    headers: { Authorization: "Bearer alice" },
  });
  const detail = invalid.error?.detail;
  check(invalid.response.status === 422 && Array.isArray(detail) &&
            detail[0]?.loc.join(".") === "body.title",
        "an empty title: 422 typed as HTTPValidationError");

  const missing = await client.GET("/api/v1/posts/{post_id}", {
    params: { path: { post_id: 5 } },
  });
  check(missing.response.status === 404, "GET /api/v1/posts/{post_id}: 404 when empty");

  const login = await client.POST("/api/v1/users/login", {
    body: { username: "ann", password: "secret" },
    bodySerializer: (body) => new URLSearchParams(body as Record<string, string>),
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  });
  check(login.data?.detail === "ann", "form login (urlencoded)");

  const form = new FormData();
  form.append("display_name", "Ann");
  form.append("bio", "hi");
  form.append("avatar", new Blob(["PNG"], { type: "image/png" }), "me.png");
  form.append("extra", new Blob(["x"]), "x.txt");
  const upload = await client.PUT("/api/v1/users/me/avatar", {
    body: { display_name: "Ann", bio: "hi", avatar: "", extra: [] },
    bodySerializer: () => form,
    headers: { "Content-Type": null },  // fetch sets multipart/form-data with the boundary
  });
  check(upload.data?.detail === "me.png", "multipart upload with files");

  const file = await client.GET("/files/{path}", { params: { path: { path: "a/b.txt" } } });
  check(file.data === "a/b.txt", "a {path:path} parameter");
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
