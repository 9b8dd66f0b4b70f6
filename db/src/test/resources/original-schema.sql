-- The original system's tables as docs/original-schema.md describes them, with its two secondary
-- indexes and a user service that has more profile columns than this project reads.
CREATE TABLE user_table (
    user_id                 varchar PRIMARY KEY,
    email                   varchar NOT NULL UNIQUE,
    first_name              varchar NOT NULL,
    last_name               varchar NOT NULL,
    share_mode              varchar DEFAULT 'default_none',
    domain_allow_array      varchar[] DEFAULT '{}',
    domain_deny_array       varchar[] DEFAULT '{}',
    profile_image_extension varchar,
    description             varchar,
    created_at              timestamp DEFAULT now()
);

CREATE TABLE friendship_table (
    user_id1     varchar REFERENCES user_table (user_id),
    user_id2     varchar REFERENCES user_table (user_id),
    requested_at timestamp NOT NULL,
    accepted_at  timestamp,
    PRIMARY KEY (user_id1, user_id2)
);

CREATE TABLE conversation_table (
    conversation_id uuid PRIMARY KEY,
    created_by      varchar(50) NOT NULL,
    created_at      timestamp DEFAULT (now() AT TIME ZONE 'utc'),
    title           varchar(300),
    is_group        boolean
);

CREATE TABLE participant_table (
    user_id         varchar(50),
    conversation_id uuid REFERENCES conversation_table (conversation_id),
    PRIMARY KEY (user_id, conversation_id)
);
CREATE INDEX ON participant_table (user_id);

CREATE TABLE message_table (
    message_id      uuid PRIMARY KEY,
    conversation_id uuid REFERENCES conversation_table (conversation_id),
    sent_at         timestamptz NOT NULL,
    sender_id       varchar(50) NOT NULL,
    content         varchar(1000) NOT NULL
);
CREATE INDEX ON message_table (conversation_id, sender_id, content, sent_at DESC NULLS LAST);

CREATE TABLE message_is_read_table (
    message_id uuid REFERENCES message_table (message_id),
    user_id    varchar(50),
    is_read    boolean,
    PRIMARY KEY (message_id, user_id)
);
