-- Protocol round 2: messages can be edited and deleted by their sender, and a send is idempotent
-- per (sender, conversation, tempMessageId) instead of per (sender, tempMessageId): a client whose
-- counter restarts must not get an old message of another conversation back. Existing rows keep
-- their meaning: nothing was edited or deleted, and every pair unique before is unique after.
-- Runs in one transaction: on any error the database is left as it was.

-- When the sender last changed the content, or deleted the message (a tombstone: content '').
ALTER TABLE message_table
    ADD COLUMN edited_at timestamptz,
    ADD COLUMN deleted_at timestamptz,
    ADD CONSTRAINT message_table_tombstone_check CHECK (deleted_at IS NULL OR content = '');

-- The conversation list reads the copy of the latest message; it follows edits and deletes.
ALTER TABLE conversation_table
    ADD COLUMN latest_edited_at timestamptz,
    ADD COLUMN latest_deleted_at timestamptz;

-- The new key is wider than the old one, so it holds for every existing row; its index also
-- serves the retry's lookup (conversation_id, sender_id, temp_message_id).
ALTER TABLE message_table
    DROP CONSTRAINT message_table_sender_temp_message_key,
    ADD CONSTRAINT message_table_conversation_sender_temp_message_key
        UNIQUE (conversation_id, sender_id, temp_message_id);

-- The read rule of a live send, applied to what an upgrade from the original system left: a send
-- moves the sender's watermark to their message, so no participant has their own latest message
-- unread. V2 derived watermarks from the original's read rows alone and could count it unread.
-- Done here, not by changing V2, whose checksum databases already at version 2 have recorded.
-- On a database that has been live since, every send already did this, so nothing changes.
UPDATE participant_table p
SET last_read_seq = own.seq
FROM (SELECT conversation_id, sender_id, max(seq) AS seq
      FROM message_table
      GROUP BY conversation_id, sender_id) own
WHERE p.conversation_id = own.conversation_id AND p.user_id = own.sender_id AND p.last_read_seq < own.seq;
