-- Full-text search over published items (issue 17, docs/adr/0014).
--
-- search_documents holds what was indexed of each published item: only its public
-- rendition (redacted; masked values are never here), as plain text for snippets, and
-- the year it was published (China time) for the year facet. A row exists exactly while
-- the item is published: publication, revision, withdrawal and repeal change it in the
-- transaction that changes the item. The same table on both backends.
CREATE TABLE search_documents (
    tenant_id       TEXT NOT NULL REFERENCES tenants (id),
    item_id         TEXT NOT NULL,
    year            INTEGER NOT NULL,
    title           TEXT NOT NULL,
    index_number    TEXT NOT NULL,
    document_number TEXT,
    issuer          TEXT NOT NULL,
    body_text       TEXT NOT NULL,
    indexed_at      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, item_id),
    FOREIGN KEY (tenant_id, item_id) REFERENCES items (tenant_id, id)
);
CREATE INDEX search_documents_year ON search_documents (tenant_id, year);

-- The text the confidentiality scan extracted from an attachment, kept when the item is
-- submitted so that publication can index it without parsing the file again. It is the
-- file's own text (the file itself is stored and served as it is); only its redacted
-- form reaches search_documents and the index.
CREATE TABLE attachment_texts (
    tenant_id     TEXT NOT NULL,
    attachment_id TEXT NOT NULL,
    text          TEXT NOT NULL,
    extracted_at  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, attachment_id),
    FOREIGN KEY (tenant_id, attachment_id) REFERENCES attachments (tenant_id, id) ON DELETE CASCADE
);

-- SQLite's index (not in PostgreSQL's schema: the backends' full-text indexes differ).
-- FTS5 without stored content; the terms are made in Rust (gongkai-search) and separated
-- by spaces, which the `ascii` tokenizer keeps as they are. `scope` holds the tenant's
-- token (`t` + its id's hex digits) so that a query's tenants are part of the MATCH.
CREATE VIRTUAL TABLE search_fts USING fts5(
    scope, title, numbers, fields, body,
    content = '', contentless_delete = 1, tokenize = 'ascii'
);

-- The FTS5 row of each document (an FTS5 row is found by an integer).
CREATE TABLE search_fts_rows (
    tenant_id TEXT NOT NULL,
    item_id   TEXT NOT NULL,
    fts_rowid INTEGER NOT NULL UNIQUE,
    PRIMARY KEY (tenant_id, item_id),
    FOREIGN KEY (tenant_id, item_id) REFERENCES search_documents (tenant_id, item_id)
);
