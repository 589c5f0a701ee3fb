-- The free-slug search (services/posts.cpp) looks up `<base>-%` with LIKE: an index with
-- text_pattern_ops serves that prefix search whatever the database's collation (the unique
-- index on slug does only under the C collation). SQLite's GLOB uses posts_slug_key itself.
CREATE INDEX posts_slug_pattern ON posts (slug text_pattern_ops);
