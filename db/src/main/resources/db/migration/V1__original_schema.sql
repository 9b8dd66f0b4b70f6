-- The original system's tables (ORIGINAL-SCHEMA.md), created only where absent. On a database
-- upgraded from the original system this changes nothing; on an empty one it lays the same
-- starting point, so V2 takes both to one end state.

-- "already exists, skipping" is the expected outcome on an original database, not news.
SET LOCAL client_min_messages = warning;

CREATE TABLE IF NOT EXISTS conversation_table (
    conversation_id uuid PRIMARY KEY,
    created_by      varchar(50) NOT NULL,
    created_at      timestamp DEFAULT (now() AT TIME ZONE 'utc'),
    title           varchar(300),
    is_group        boolean
);

CREATE TABLE IF NOT EXISTS participant_table (
    user_id         varchar(50) NOT NULL,
    conversation_id uuid NOT NULL REFERENCES conversation_table (conversation_id),
    PRIMARY KEY (user_id, conversation_id)
);

CREATE TABLE IF NOT EXISTS message_table (
    message_id      uuid PRIMARY KEY,
    conversation_id uuid REFERENCES conversation_table (conversation_id),
    sent_at         timestamptz NOT NULL,
    sender_id       varchar(50) NOT NULL,
    content         varchar(1000) NOT NULL
);

CREATE TABLE IF NOT EXISTS message_is_read_table (
    message_id uuid NOT NULL REFERENCES message_table (message_id),
    user_id    varchar(50) NOT NULL,
    is_read    boolean,
    PRIMARY KEY (message_id, user_id)
);

-- The user service owns user_table and friendship_table. When they exist they are left exactly as
-- they are (no column, no index added); compatible ones are created only so this project also
-- runs on its own.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'user_table') THEN
        CREATE TABLE user_table (
            user_id                 varchar PRIMARY KEY,
            email                   varchar NOT NULL UNIQUE,
            first_name              varchar NOT NULL,
            last_name               varchar NOT NULL,
            share_mode              varchar NOT NULL DEFAULT 'default_none',
            domain_allow_array      varchar[] NOT NULL DEFAULT '{}',
            domain_deny_array       varchar[] NOT NULL DEFAULT '{}',
            profile_image_extension varchar
        );
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'friendship_table') THEN
        CREATE TABLE friendship_table (
            user_id1     varchar NOT NULL REFERENCES user_table (user_id),
            user_id2     varchar NOT NULL REFERENCES user_table (user_id),
            requested_at timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'utc'),
            accepted_at  timestamp,
            PRIMARY KEY (user_id1, user_id2)
        );
        -- friendsOf looks a user up on both sides; the primary key serves user_id1.
        CREATE INDEX friendship_table_user_id2_idx ON friendship_table (user_id2);
    END IF;
END
$$;
