-- Takes the original chat tables (created by V1 or inherited from the original system) to this
-- project's schema: per-conversation sequence numbers, read watermarks instead of one read row
-- per message and participant, idempotent sends, and one direct conversation per pair of users.
-- Runs in one transaction: on any error the database is left as it was.

-- A large original database takes longer than a request's statement timeout.
SET LOCAL statement_timeout = 0;

-- The protocol's user ids are 1..128 characters; widening a varchar rewrites nothing.
ALTER TABLE conversation_table ALTER COLUMN created_by TYPE varchar(128);
ALTER TABLE participant_table ALTER COLUMN user_id TYPE varchar(128);
ALTER TABLE message_table ALTER COLUMN sender_id TYPE varchar(128);

-- created_at was a zone-less timestamp holding UTC; make it an instant like sent_at.
ALTER TABLE conversation_table
    ALTER COLUMN created_at TYPE timestamptz USING created_at AT TIME ZONE 'UTC',
    ALTER COLUMN created_at SET DEFAULT now();
UPDATE conversation_table c
SET created_at = coalesce((SELECT min(m.sent_at) FROM message_table m WHERE m.conversation_id = c.conversation_id), now())
WHERE created_at IS NULL;
UPDATE conversation_table SET title = '' WHERE title IS NULL;
UPDATE conversation_table c
SET is_group = (SELECT count(*) > 2 FROM participant_table p WHERE p.conversation_id = c.conversation_id)
WHERE is_group IS NULL;
ALTER TABLE conversation_table
    ALTER COLUMN created_at SET NOT NULL,
    ALTER COLUMN title SET NOT NULL,
    ALTER COLUMN title SET DEFAULT '',
    ALTER COLUMN is_group SET NOT NULL;

-- New columns. Constant defaults do not rewrite the tables.
-- last_seq: the sequence number of the conversation's latest message (0: none yet); the append
--   transaction increments it with UPDATE ... RETURNING, which serialises senders per conversation.
-- direct_user_a < direct_user_b: the pair key of a direct conversation (byte order, collation "C",
--   so every client of the database orders a pair the same way); NULL for groups.
-- latest_*: a copy of the latest message (seq = last_seq), written in the append transaction, so
--   the conversation list reads no message_table row at all.
ALTER TABLE conversation_table
    ADD COLUMN last_seq bigint NOT NULL DEFAULT 0,
    ADD COLUMN direct_user_a varchar(128) COLLATE "C",
    ADD COLUMN direct_user_b varchar(128) COLLATE "C",
    ADD COLUMN latest_message_id uuid,
    ADD COLUMN latest_sender_id varchar(128),
    ADD COLUMN latest_content varchar(1000),
    ADD COLUMN latest_sent_at timestamptz,
    ADD COLUMN latest_temp_message_id varchar(128);
-- last_read_seq: the read watermark, every message up to it is read by this participant.
-- join_order: keeps the participants in the order they were given (the creator first).
ALTER TABLE participant_table
    ADD COLUMN last_read_seq bigint NOT NULL DEFAULT 0,
    ADD COLUMN join_order integer NOT NULL DEFAULT 0;
-- temp_message_id: the sender's own id of a message; NULL for messages of the original system.
ALTER TABLE message_table
    ADD COLUMN seq bigint,
    ADD COLUMN temp_message_id varchar(128);

-- Direct conversations with exactly two distinct participants, keyed by their pair.
CREATE TEMPORARY TABLE direct_pair ON COMMIT DROP AS
SELECT c.conversation_id,
       c.created_at,
       min(p.user_id COLLATE "C") AS user_a,
       max(p.user_id COLLATE "C") AS user_b
FROM conversation_table c
JOIN participant_table p ON p.conversation_id = c.conversation_id
WHERE NOT c.is_group
GROUP BY c.conversation_id, c.created_at
HAVING count(DISTINCT p.user_id) = 2;

-- Concurrent creates in the original system left several direct conversations for one pair.
-- The oldest survives and receives every message of the others; seq is numbered afterwards,
-- so the merged conversation interleaves them by sent_at.
CREATE TEMPORARY TABLE direct_merge ON COMMIT DROP AS
SELECT conversation_id AS duplicate_id,
       first_value(conversation_id) OVER (PARTITION BY user_a, user_b ORDER BY created_at, conversation_id) AS survivor_id
FROM direct_pair;
DELETE FROM direct_merge WHERE duplicate_id = survivor_id;

UPDATE message_table m SET conversation_id = d.survivor_id
FROM direct_merge d WHERE m.conversation_id = d.duplicate_id;
DELETE FROM participant_table p USING direct_merge d WHERE p.conversation_id = d.duplicate_id;
DELETE FROM conversation_table c USING direct_merge d WHERE c.conversation_id = d.duplicate_id;
UPDATE conversation_table c SET direct_user_a = dp.user_a, direct_user_b = dp.user_b
FROM direct_pair dp WHERE c.conversation_id = dp.conversation_id;

-- Sequence numbers 1, 2, 3, ... per conversation in sent_at order; equal sent_at values are
-- ordered by message_id so every run numbers them the same way.
UPDATE message_table m SET seq = numbered.seq
FROM (SELECT message_id,
             row_number() OVER (PARTITION BY conversation_id ORDER BY sent_at, message_id) AS seq
      FROM message_table) numbered
WHERE m.message_id = numbered.message_id;

UPDATE conversation_table c
SET last_seq = latest.seq,
    latest_message_id = latest.message_id,
    latest_sender_id = latest.sender_id,
    latest_content = latest.content,
    latest_sent_at = latest.sent_at
FROM (SELECT DISTINCT ON (conversation_id) conversation_id, seq, message_id, sender_id, content, sent_at
      FROM message_table ORDER BY conversation_id, seq DESC) latest
WHERE c.conversation_id = latest.conversation_id;

-- Participant order (creator first, then by id) and a first watermark of "everything read".
UPDATE participant_table p
SET join_order = ordered.join_order,
    last_read_seq = ordered.last_seq
FROM (SELECT p2.user_id, p2.conversation_id, c.last_seq,
             row_number() OVER (PARTITION BY p2.conversation_id
                                ORDER BY (p2.user_id = c.created_by) DESC, p2.user_id COLLATE "C") - 1 AS join_order
      FROM participant_table p2
      JOIN conversation_table c ON c.conversation_id = p2.conversation_id) ordered
WHERE p.user_id = ordered.user_id AND p.conversation_id = ordered.conversation_id;

-- The watermark is the highest seq such that every message up to it is read by the participant
-- (an is_read = true row) or sent by them. A missing or false read row is unread. A read message
-- after the first unread one cannot be expressed by a watermark and counts as unread again: the
-- conversion never shows an unread message as read.
WITH first_unread AS (
    SELECT p.conversation_id, p.user_id, min(m.seq) AS seq
    FROM participant_table p
    JOIN message_table m ON m.conversation_id = p.conversation_id AND m.sender_id <> p.user_id
    WHERE NOT EXISTS (SELECT 1 FROM message_is_read_table r
                      WHERE r.message_id = m.message_id AND r.user_id = p.user_id AND r.is_read)
    GROUP BY p.conversation_id, p.user_id
)
UPDATE participant_table p SET last_read_seq = first_unread.seq - 1
FROM first_unread
WHERE p.conversation_id = first_unread.conversation_id AND p.user_id = first_unread.user_id;

-- The watermarks replace the per-message read rows; nothing writes them any more.
DROP TABLE message_is_read_table;

-- The original's secondary indexes: participant_table (user_id) duplicates the primary key's
-- leading column, and message_table (conversation_id, sender_id, content, sent_at) copies every
-- message's content into an index no query uses. Found by their columns, as their names are
-- not known.
DO $$
DECLARE
    legacy record;
BEGIN
    FOR legacy IN
        SELECT i.indexrelid::regclass AS index_name
        FROM pg_index i
        WHERE i.indrelid IN ('message_table'::regclass, 'participant_table'::regclass)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
          AND (SELECT array_agg(a.attname::text ORDER BY key.ord)
               FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS key(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = key.attnum)
              IN (ARRAY['conversation_id', 'sender_id', 'content', 'sent_at'], ARRAY['user_id'])
    LOOP
        EXECUTE 'DROP INDEX ' || legacy.index_name;
    END LOOP;
END
$$;

-- Constraints.
ALTER TABLE message_table
    ALTER COLUMN conversation_id SET NOT NULL,
    ALTER COLUMN seq SET NOT NULL,
    ADD CONSTRAINT message_table_seq_check CHECK (seq >= 1),
    -- Serves paging (conversation_id = ? AND seq < ? ORDER BY seq DESC) and the foreign key
    -- to conversation_table.
    ADD CONSTRAINT message_table_conversation_seq_key UNIQUE (conversation_id, seq),
    -- A retried send stores nothing twice.
    ADD CONSTRAINT message_table_sender_temp_message_key UNIQUE (sender_id, temp_message_id);
ALTER TABLE conversation_table
    ADD CONSTRAINT conversation_table_last_seq_check CHECK (last_seq >= 0),
    ADD CONSTRAINT conversation_table_latest_check CHECK (
        (last_seq = 0) = (latest_message_id IS NULL)
        AND (latest_message_id IS NULL
             OR (latest_sender_id IS NOT NULL AND latest_content IS NOT NULL AND latest_sent_at IS NOT NULL))),
    ADD CONSTRAINT conversation_table_direct_pair_check CHECK (
        (direct_user_a IS NULL) = (direct_user_b IS NULL)
        AND (direct_user_a IS NULL OR (NOT is_group AND direct_user_a < direct_user_b))),
    ADD CONSTRAINT conversation_table_direct_pair_key UNIQUE (direct_user_a, direct_user_b);
ALTER TABLE participant_table
    ADD CONSTRAINT participant_table_last_read_seq_check CHECK (last_read_seq >= 0);

-- The participants of a conversation in order, read from the index alone; the primary key
-- (user_id, conversation_id) serves a user's conversations.
CREATE INDEX participant_table_conversation_order_idx ON participant_table (conversation_id, join_order, user_id);
