-- Documents an applicant sends with a request (an ID copy, 身份证明复印件): personal data.
-- The bytes are sealed with the data key in the object store under `object_path`; the
-- row says what they are. Only readers of the applicant's data may fetch them.
CREATE TABLE request_documents (
    tenant_id   TEXT NOT NULL,
    id          TEXT NOT NULL,
    request_id  TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    size_bytes  BIGINT NOT NULL,
    sha256      TEXT NOT NULL,
    object_path TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, request_id) REFERENCES requests (tenant_id, id)
);
CREATE INDEX request_documents_request ON request_documents (tenant_id, request_id);

ALTER TABLE request_documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE request_documents FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON request_documents
    USING (tenant_id = ANY (app_tenant_ids()))
    WITH CHECK (tenant_id = ANY (app_tenant_ids()));
