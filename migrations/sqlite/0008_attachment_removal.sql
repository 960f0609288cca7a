-- Attachments removed from a working version. A row says which item holds which content
-- from working version `version` on; `removed_version` (when set) is the first working
-- version without it. An attachment that was never part of a published version is
-- deleted outright instead (and its bytes with it once no row refers to them), so a
-- row with `removed_version` is always history that a published version still serves.
ALTER TABLE attachments ADD COLUMN removed_version INTEGER;
ALTER TABLE attachments ADD COLUMN removed_by TEXT;
ALTER TABLE attachments ADD COLUMN removed_at TEXT;

-- Whether any row still refers to a stored object (content-addressed, per tenant).
CREATE INDEX attachments_sha256 ON attachments (tenant_id, sha256);
