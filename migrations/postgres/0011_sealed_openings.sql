-- Sealed openings (开标, 三方密钥): bids whose sealed fields and documents are encrypted on
-- receipt under a fresh key per part, that key split into one share per named key holder
-- (Shamir, any k of n), each share encrypted to its holder; opened only after the opening
-- time, when k holders have contributed. Binary values are base64 text. See docs/adr/0012.

-- A key holder's key pair: the age X25519 public key, and the private key age-encrypted
-- under the holder's passphrase (scrypt). The private key is never stored in clear.
CREATE TABLE sealing_keys (
    tenant_id          TEXT NOT NULL REFERENCES tenants (id),
    user_id            TEXT NOT NULL REFERENCES users (id),
    recipient          TEXT NOT NULL,
    protected_identity TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    PRIMARY KEY (tenant_id, user_id)
);

CREATE TABLE sealed_openings (
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    id          TEXT NOT NULL,
    title       TEXT NOT NULL,
    -- the procurement's project number
    reference   TEXT NOT NULL,
    -- `plugin/kind` of the bids: the kind declares which fields and slots are sealed
    kind        TEXT NOT NULL,
    -- RFC 3339, UTC: bids are received until the deadline, opened from the opening time
    deadline_at TEXT NOT NULL,
    opening_at  TEXT NOT NULL,
    threshold   BIGINT NOT NULL CHECK (threshold >= 2),
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    opened_at   TEXT,
    PRIMARY KEY (tenant_id, id)
);

-- The named holders, in the order of their shares, with the public key each share of the
-- opening is encrypted to (copied when the opening was made: a later key does not count).
CREATE TABLE sealed_opening_holders (
    tenant_id      TEXT NOT NULL,
    opening_id     TEXT NOT NULL,
    user_id        TEXT NOT NULL,
    position       BIGINT NOT NULL,
    recipient      TEXT NOT NULL,
    contributed_at TEXT,
    PRIMARY KEY (tenant_id, opening_id, user_id),
    FOREIGN KEY (tenant_id, opening_id) REFERENCES sealed_openings (tenant_id, id)
);

CREATE TABLE sealed_bids (
    tenant_id     TEXT NOT NULL,
    opening_id    TEXT NOT NULL,
    id            TEXT NOT NULL,
    -- SHA-256 of the bidder's secret token (withdraw, replace, read the receipt)
    token_hash    TEXT NOT NULL,
    -- JSON: the kind's fields that are not sealed
    clear_fields  TEXT NOT NULL,
    -- SHA-256 over the bid as received (clear fields, each part's ciphertext hash, time)
    receipt_hash  TEXT NOT NULL,
    received_at   TEXT NOT NULL,
    withdrawn_at  TEXT,
    -- JSON, set at the opening: the sealed fields in clear
    opened_fields TEXT,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, opening_id) REFERENCES sealed_openings (tenant_id, id)
);
CREATE INDEX sealed_bids_opening ON sealed_bids (tenant_id, opening_id);

-- A sealed part of a bid: `fields` (its sealed fields) or a document slot. Documents'
-- ciphertext lives in the object store; the content key is kept only once opened.
CREATE TABLE sealed_parts (
    tenant_id         TEXT NOT NULL,
    bid_id            TEXT NOT NULL,
    name              TEXT NOT NULL,
    file_name         TEXT,
    ciphertext        TEXT,
    object_key        TEXT,
    size              BIGINT NOT NULL,
    ciphertext_sha256 TEXT NOT NULL,
    content_key       TEXT,
    plaintext_sha256  TEXT,
    PRIMARY KEY (tenant_id, bid_id, name),
    FOREIGN KEY (tenant_id, bid_id) REFERENCES sealed_bids (tenant_id, id)
);

-- One share per part and holder: encrypted to the holder, its commitment, and the
-- decrypted share once the holder contributed (erased when the opening happens).
CREATE TABLE sealed_shares (
    tenant_id   TEXT NOT NULL,
    bid_id      TEXT NOT NULL,
    part        TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    encrypted   TEXT NOT NULL,
    commitment  TEXT NOT NULL,
    contributed TEXT,
    PRIMARY KEY (tenant_id, bid_id, part, user_id),
    FOREIGN KEY (tenant_id, bid_id, part) REFERENCES sealed_parts (tenant_id, bid_id, name)
);

ALTER TABLE sealing_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE sealing_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON sealing_keys
    USING (tenant_id = ANY (app_tenant_ids()))
    WITH CHECK (tenant_id = ANY (app_tenant_ids()));

ALTER TABLE sealed_openings ENABLE ROW LEVEL SECURITY;
ALTER TABLE sealed_openings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON sealed_openings
    USING (tenant_id = ANY (app_tenant_ids()))
    WITH CHECK (tenant_id = ANY (app_tenant_ids()));

ALTER TABLE sealed_opening_holders ENABLE ROW LEVEL SECURITY;
ALTER TABLE sealed_opening_holders FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON sealed_opening_holders
    USING (tenant_id = ANY (app_tenant_ids()))
    WITH CHECK (tenant_id = ANY (app_tenant_ids()));

ALTER TABLE sealed_bids ENABLE ROW LEVEL SECURITY;
ALTER TABLE sealed_bids FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON sealed_bids
    USING (tenant_id = ANY (app_tenant_ids()))
    WITH CHECK (tenant_id = ANY (app_tenant_ids()));

ALTER TABLE sealed_parts ENABLE ROW LEVEL SECURITY;
ALTER TABLE sealed_parts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON sealed_parts
    USING (tenant_id = ANY (app_tenant_ids()))
    WITH CHECK (tenant_id = ANY (app_tenant_ids()));

ALTER TABLE sealed_shares ENABLE ROW LEVEL SECURITY;
ALTER TABLE sealed_shares FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON sealed_shares
    USING (tenant_id = ANY (app_tenant_ids()))
    WITH CHECK (tenant_id = ANY (app_tenant_ids()));
