-- Users, their tasks, and the tag indexes that keep every list query a bounded index range scan.

CREATE TABLE users (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name        text NOT NULL,
  email       text NOT NULL,
  token_hash  bytea NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE tasks (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  title       text NOT NULL,
  description text NOT NULL DEFAULT '',
  status      text NOT NULL DEFAULT 'todo' CHECK (status IN ('todo', 'doing', 'done')),
  tags        text[] NOT NULL DEFAULT '{}',
  due_at      timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
-- Newest first: a page is "WHERE user_id = $1 AND id < $cursor ORDER BY id DESC LIMIT n", whatever the depth.
CREATE INDEX tasks_user_id_id_idx ON tasks (user_id, id DESC);
CREATE INDEX tasks_user_status_id_idx ON tasks (user_id, status, id DESC);

-- One row per (task, tag), kept by trigger, so a tag filter is also a keyset range scan.
CREATE TABLE task_tags (
  user_id bigint NOT NULL,
  tag     text NOT NULL,
  task_id bigint NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, tag, task_id)
);
CREATE INDEX task_tags_task_id_idx ON task_tags (task_id);

-- How many of a user's tasks carry each tag: recommendations read the top ones without counting all tasks.
CREATE TABLE user_tag_counts (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  tag     text NOT NULL,
  count   bigint NOT NULL CHECK (count >= 0),
  PRIMARY KEY (user_id, tag)
);
CREATE INDEX user_tag_counts_top_idx ON user_tag_counts (user_id, count DESC);

CREATE FUNCTION tasks_sync_tags() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    DELETE FROM task_tags WHERE task_id = OLD.id;
    UPDATE user_tag_counts c SET count = c.count - 1
      FROM unnest(OLD.tags) AS t(tag)
      WHERE c.user_id = OLD.user_id AND c.tag = t.tag;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO task_tags (user_id, tag, task_id)
      SELECT NEW.user_id, t.tag, NEW.id FROM unnest(NEW.tags) AS t(tag);
    INSERT INTO user_tag_counts AS c (user_id, tag, count)
      SELECT NEW.user_id, t.tag, 1 FROM unnest(NEW.tags) AS t(tag)
      ON CONFLICT (user_id, tag) DO UPDATE SET count = c.count + 1;
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER tasks_sync_tags_insert AFTER INSERT ON tasks
  FOR EACH ROW EXECUTE FUNCTION tasks_sync_tags();
CREATE TRIGGER tasks_sync_tags_update AFTER UPDATE OF tags ON tasks
  FOR EACH ROW WHEN (OLD.tags IS DISTINCT FROM NEW.tags) EXECUTE FUNCTION tasks_sync_tags();
CREATE TRIGGER tasks_sync_tags_delete AFTER DELETE ON tasks
  FOR EACH ROW EXECUTE FUNCTION tasks_sync_tags();
