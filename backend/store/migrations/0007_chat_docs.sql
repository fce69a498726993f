-- Documents attached to chats, and what each answer retrieved.
-- An attachment is a whole collection (file_path '') or one file of it, by
-- collection id so that a renamed collection stays attached. When the
-- collection is deleted its id becomes NULL and collection_name keeps the
-- name it had, so the next answer can say that it is gone (and the row is
-- then removed); a trigger keeps collection_name in step with renames.
CREATE TABLE chat_attachments (
    id              INTEGER PRIMARY KEY,
    chat_id         INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    collection_id   INTEGER REFERENCES doc_collections(id) ON DELETE SET NULL,
    collection_name TEXT NOT NULL,
    file_path       TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX chat_attachments_chat ON chat_attachments(chat_id);
CREATE INDEX chat_attachments_collection ON chat_attachments(collection_id);

CREATE TRIGGER chat_attachments_rename AFTER UPDATE OF name ON doc_collections BEGIN
    UPDATE chat_attachments SET collection_name = new.name WHERE collection_id = new.id;
END;

-- The sources retrieved for an answer (rag.Retrieval as JSON), stored
-- before the answer streams. Deleted with the message (subtree deletes and
-- chat purges remove messages, which cascade here).
CREATE TABLE message_retrievals (
    message_id INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
    data       TEXT NOT NULL
) STRICT;
