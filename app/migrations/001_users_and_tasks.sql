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

-- Statement-level triggers with transition tables: a bulk insert updates each (user, tag) counter once per
-- statement instead of once per row (per-row updates of one hot counter row in a big transaction are quadratic).
CREATE FUNCTION tasks_tags_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO task_tags (user_id, tag, task_id)
    SELECT n.user_id, t.tag, n.id FROM new_rows n CROSS JOIN LATERAL unnest(n.tags) AS t(tag);
  INSERT INTO user_tag_counts AS c (user_id, tag, count)
    SELECT n.user_id, t.tag, count(*) FROM new_rows n CROSS JOIN LATERAL unnest(n.tags) AS t(tag) GROUP BY 1, 2
    ON CONFLICT (user_id, tag) DO UPDATE SET count = c.count + EXCLUDED.count;
  RETURN NULL;
END;
$$;

CREATE FUNCTION tasks_tags_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM task_tags tt USING old_rows o WHERE tt.task_id = o.id;
  UPDATE user_tag_counts c SET count = c.count - d.n
    FROM (SELECT o.user_id, t.tag, count(*) AS n FROM old_rows o CROSS JOIN LATERAL unnest(o.tags) AS t(tag) GROUP BY 1, 2) d
    WHERE c.user_id = d.user_id AND c.tag = d.tag;
  RETURN NULL;
END;
$$;

-- An update removes the tags a task lost and adds the ones it gained (tags are stored without repeats).
CREATE FUNCTION tasks_tags_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH removed AS (
    SELECT o.user_id, t.tag, o.id AS task_id
    FROM old_rows o JOIN new_rows n USING (id) CROSS JOIN LATERAL unnest(o.tags) AS t(tag)
    WHERE t.tag <> ALL (n.tags)
  ), unlinked AS (
    DELETE FROM task_tags tt USING removed r WHERE (tt.user_id, tt.tag, tt.task_id) = (r.user_id, r.tag, r.task_id)
  )
  UPDATE user_tag_counts c SET count = c.count - d.n
    FROM (SELECT user_id, tag, count(*) AS n FROM removed GROUP BY 1, 2) d
    WHERE c.user_id = d.user_id AND c.tag = d.tag;

  WITH added AS (
    SELECT n.user_id, t.tag, n.id AS task_id
    FROM new_rows n JOIN old_rows o USING (id) CROSS JOIN LATERAL unnest(n.tags) AS t(tag)
    WHERE t.tag <> ALL (o.tags)
  ), linked AS (
    INSERT INTO task_tags (user_id, tag, task_id) SELECT user_id, tag, task_id FROM added
  )
  INSERT INTO user_tag_counts AS c (user_id, tag, count)
    SELECT user_id, tag, count(*) FROM added GROUP BY 1, 2
    ON CONFLICT (user_id, tag) DO UPDATE SET count = c.count + EXCLUDED.count;
  RETURN NULL;
END;
$$;

CREATE TRIGGER tasks_tags_insert AFTER INSERT ON tasks
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tasks_tags_added();
CREATE TRIGGER tasks_tags_update AFTER UPDATE ON tasks
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tasks_tags_changed();
CREATE TRIGGER tasks_tags_delete AFTER DELETE ON tasks
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tasks_tags_removed();
