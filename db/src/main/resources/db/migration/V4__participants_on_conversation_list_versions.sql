-- Performance round 2 (GET /conversations): the conversation list reads each conversation's
-- participants from its own row instead of one participant_table subquery per row, and a server
-- keeping a user's encoded list checks it against one version row per user. Existing rows keep
-- their meaning. Runs in one transaction: on any error the database is left as it was.

-- A large original database takes longer than a request's statement timeout.
SET LOCAL statement_timeout = 0;

-- participant_ids: a copy of the conversation's participant_table rows in their order (join_order,
-- the creator first), written with them by the create transaction. Participants never change after
-- a conversation is created (the protocol has no way to add or remove one), so the copy cannot go
-- stale; participant_table stays, as it serves "the conversations of a user" (its primary key).
ALTER TABLE conversation_table ADD COLUMN participant_ids varchar(128)[];
UPDATE conversation_table c
SET participant_ids = ARRAY(SELECT p.user_id FROM participant_table p
                            WHERE p.conversation_id = c.conversation_id ORDER BY p.join_order, p.user_id);
ALTER TABLE conversation_table ALTER COLUMN participant_ids SET NOT NULL;

-- The version of a user's conversation list: every transaction that changes what the list shows
-- (an append, an edit or delete of a latest message, a read watermark that moves, a creation)
-- increments the version of each user whose list it changes, in that same transaction and as its
-- last statement, taking the rows in user_id order (collation "C") so that two such transactions
-- cannot deadlock on them. A missing row is version 0: nothing is written for users who never
-- had a change after this migration. A node that keeps a user's encoded list answers from it
-- while this version reads the same, so a change committed through any node is seen by all.
CREATE TABLE conversation_list_version (
    user_id varchar(128) COLLATE "C" PRIMARY KEY,
    version bigint NOT NULL CHECK (version > 0)
);
