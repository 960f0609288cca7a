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
    year            BIGINT NOT NULL,
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

-- PostgreSQL's index (not in SQLite's schema: the backends' full-text indexes differ).
-- The tsvector is a literal made in Rust (gongkai-search): the segmented terms with their
-- positions and weights (A title, B numbers, C issuer and fields, D body and
-- attachments), taken verbatim, so no text search configuration cuts a term again.
CREATE TABLE search_terms (
    tenant_id TEXT NOT NULL,
    item_id   TEXT NOT NULL,
    terms     TSVECTOR NOT NULL,
    PRIMARY KEY (tenant_id, item_id),
    FOREIGN KEY (tenant_id, item_id) REFERENCES search_documents (tenant_id, item_id)
);
CREATE INDEX search_terms_terms ON search_terms USING GIN (terms);

ALTER TABLE search_documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE search_documents FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON search_documents
    USING (tenant_id = ANY (app_tenant_ids()))
    WITH CHECK (tenant_id = ANY (app_tenant_ids()));

ALTER TABLE attachment_texts ENABLE ROW LEVEL SECURITY;
ALTER TABLE attachment_texts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON attachment_texts
    USING (tenant_id = ANY (app_tenant_ids()))
    WITH CHECK (tenant_id = ANY (app_tenant_ids()));

-- search_terms carries no row-level policy: under one, PostgreSQL will not use the GIN
-- index for `@@` (the operator is not leakproof) and scans the whole table. It holds only
-- terms of published public text, and every query joins it to search_documents and items,
-- which keep theirs (ADR 0014).
