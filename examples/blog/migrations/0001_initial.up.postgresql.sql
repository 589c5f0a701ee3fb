-- Users, posts, tokens and login failures (PostgreSQL).
CREATE TABLE users (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email TEXT NOT NULL CONSTRAINT users_email_key UNIQUE,
  username TEXT NOT NULL CONSTRAINT users_username_key UNIQUE,
  hashed_password TEXT NOT NULL,
  full_name TEXT,
  bio TEXT,
  avatar_url TEXT,
  is_active BOOLEAN NOT NULL DEFAULT TRUE,
  is_superuser BOOLEAN NOT NULL DEFAULT FALSE,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE posts (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  title TEXT NOT NULL,
  content TEXT NOT NULL,
  excerpt TEXT,
  slug TEXT NOT NULL CONSTRAINT posts_slug_key UNIQUE,
  published BOOLEAN NOT NULL DEFAULT FALSE,
  author_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL,
  published_at TIMESTAMPTZ
);
CREATE INDEX posts_published_created ON posts (published, created_at DESC, id DESC);
CREATE INDEX posts_author ON posts (author_id, created_at DESC, id DESC);

CREATE TABLE refresh_tokens (
  jti TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  expires_at TIMESTAMPTZ NOT NULL,
  revoked BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

CREATE TABLE revoked_tokens (
  jti TEXT PRIMARY KEY,
  expires_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE login_failures (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email TEXT NOT NULL,
  failed_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_failures_email ON login_failures (email, failed_at);
