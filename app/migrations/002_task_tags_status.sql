-- The task's status copied into task_tags, so `?tag=…&status=…` is a keyset range scan on
-- (user_id, tag, status, task_id DESC) like either filter alone, instead of reading every task with the tag.

ALTER TABLE task_tags ADD COLUMN status text;
-- task_tags holds nothing but what tasks say: refilled from tasks in one pass, rather than updated row by row
-- (which would leave a dead row behind for every tag link and double the table).
TRUNCATE task_tags;
INSERT INTO task_tags (user_id, tag, status, task_id)
  SELECT t.user_id, tag, t.status, t.id FROM tasks t CROSS JOIN LATERAL unnest(t.tags) AS tag;
ALTER TABLE task_tags ALTER COLUMN status SET NOT NULL;
CREATE INDEX task_tags_user_tag_status_idx ON task_tags (user_id, tag, status, task_id DESC);

CREATE OR REPLACE FUNCTION tasks_tags_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO task_tags (user_id, tag, status, task_id)
    SELECT n.user_id, t.tag, n.status, n.id FROM new_rows n CROSS JOIN LATERAL unnest(n.tags) AS t(tag);
  INSERT INTO user_tag_counts AS c (user_id, tag, count)
    SELECT n.user_id, t.tag, count(*) FROM new_rows n CROSS JOIN LATERAL unnest(n.tags) AS t(tag) GROUP BY 1, 2
    ON CONFLICT (user_id, tag) DO UPDATE SET count = c.count + EXCLUDED.count;
  RETURN NULL;
END;
$$;

-- An update removes the tags a task lost, moves the links it kept to its new status, and adds the tags it gained
-- with that status. Only tasks whose status changed touch their kept links (through task_tags_task_id_idx); an
-- update of the title, description or due date leaves task_tags alone. A trigger with transition tables cannot be
-- limited to `UPDATE OF status, tags` (PostgreSQL refuses transition tables on triggers with column lists), hence
-- the comparisons here.
CREATE OR REPLACE FUNCTION tasks_tags_changed() RETURNS trigger LANGUAGE plpgsql AS $$
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

  UPDATE task_tags tt SET status = n.status
    FROM old_rows o JOIN new_rows n USING (id)
    WHERE o.status <> n.status AND tt.task_id = n.id;

  WITH added AS (
    SELECT n.user_id, t.tag, n.status, n.id AS task_id
    FROM new_rows n JOIN old_rows o USING (id) CROSS JOIN LATERAL unnest(n.tags) AS t(tag)
    WHERE t.tag <> ALL (o.tags)
  ), linked AS (
    INSERT INTO task_tags (user_id, tag, status, task_id) SELECT user_id, tag, status, task_id FROM added
  )
  INSERT INTO user_tag_counts AS c (user_id, tag, count)
    SELECT user_id, tag, count(*) FROM added GROUP BY 1, 2
    ON CONFLICT (user_id, tag) DO UPDATE SET count = c.count + EXCLUDED.count;
  RETURN NULL;
END;
$$;
