-- Users, posts, tokens and login failures (SQLite). Timestamps are UTC text in one fixed
-- format (YYYY-MM-DDTHH:MM:SS.ffffffZ) so that they sort as they compare.
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL CONSTRAINT users_email_key UNIQUE,
  username TEXT NOT NULL CONSTRAINT users_username_key UNIQUE,
  hashed_password TEXT NOT NULL,
  full_name TEXT,
  bio TEXT,
  avatar_url TEXT,
  is_active BOOLEAN NOT NULL DEFAULT 1,
  is_superuser BOOLEAN NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE posts (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  content TEXT NOT NULL,
  excerpt TEXT,
  slug TEXT NOT NULL CONSTRAINT posts_slug_key UNIQUE,
  published BOOLEAN NOT NULL DEFAULT 0,
  author_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  published_at TEXT
);
CREATE INDEX posts_published_created ON posts (published, created_at DESC, id DESC);
CREATE INDEX posts_author ON posts (author_id, created_at DESC, id DESC);

CREATE TABLE refresh_tokens (
  jti TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  expires_at TEXT NOT NULL,
  revoked BOOLEAN NOT NULL DEFAULT 0
);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

CREATE TABLE revoked_tokens (
  jti TEXT PRIMARY KEY,
  expires_at TEXT NOT NULL
);

CREATE TABLE login_failures (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL,
  failed_at TEXT NOT NULL
);
CREATE INDEX login_failures_email ON login_failures (email, failed_at);
