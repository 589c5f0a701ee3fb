DROP INDEX posts_slug_pattern;
