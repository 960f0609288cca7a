-- Requests for information (依申请公开): the request, its timeline (the deadline is derived
-- from it; `due_on` is only a cache for list filters, recomputed when the calendar changes),
-- answers, fees, remedies, reply templates, idempotency keys and the e-mail outbox.
-- Personal data of applicants (name, identity document, phone, e-mail, address, the text of
-- the request) is sealed by the application (ChaCha20-Poly1305) before it gets here.

CREATE TABLE requests (
    tenant_id         TEXT NOT NULL REFERENCES tenants (id),
    id                TEXT NOT NULL,
    tracking_number   TEXT NOT NULL,
    access_code_hash  TEXT NOT NULL,
    applicant_type    TEXT NOT NULL CHECK (applicant_type IN ('person', 'commercial', 'research', 'public_interest', 'legal_service', 'other')),
    -- sealed JSON: name, document, organisation, credit code, phone, email, address
    applicant_sealed  TEXT NOT NULL,
    -- keyed hash of the identity document or credit code: counts an applicant's requests per month (fees)
    applicant_key     TEXT NOT NULL,
    description_sealed TEXT NOT NULL,
    delivery_method   TEXT NOT NULL CHECK (delivery_method IN ('email', 'post', 'collection', 'online')),
    delivery_form     TEXT NOT NULL CHECK (delivery_form IN ('electronic', 'paper')),
    language          TEXT NOT NULL DEFAULT 'zh' CHECK (language IN ('zh', 'en')),
    received_on       TEXT NOT NULL,
    phase             TEXT NOT NULL,
    abandon_reason    TEXT,
    open_consultations BIGINT NOT NULL DEFAULT 0,
    correction_used   BIGINT NOT NULL DEFAULT 0 CHECK (correction_used IN (0, 1)),
    extended          BIGINT NOT NULL DEFAULT 0 CHECK (extended IN (0, 1)),
    fee_pending       BIGINT NOT NULL DEFAULT 0 CHECK (fee_pending IN (0, 1)),
    outcome_code      TEXT,
    assignee_id       TEXT REFERENCES users (id),
    department        TEXT,
    referred_to       TEXT,
    -- cache of the deadline engine: 'due', 'awaiting_correction', 'no_calendar', 'stopped'
    due_state         TEXT NOT NULL DEFAULT 'due',
    due_on            TEXT,
    answered_on       TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, tracking_number)
);
CREATE INDEX requests_phase ON requests (tenant_id, phase, due_on);
CREATE INDEX requests_applicant ON requests (tenant_id, applicant_key, received_on);

-- Tracking numbers per tenant and year (YSQ2026-000042), handed out by one locked row.
CREATE TABLE request_counters (
    tenant_id TEXT NOT NULL REFERENCES tenants (id),
    year      BIGINT NOT NULL,
    last      BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, year)
);

CREATE TABLE request_events (
    tenant_id  TEXT NOT NULL,
    request_id TEXT NOT NULL,
    seq        BIGINT NOT NULL,
    kind       TEXT NOT NULL,
    on_date    TEXT NOT NULL,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    -- public details shown on the applicant's timeline (never personal data)
    details    TEXT NOT NULL,
    PRIMARY KEY (tenant_id, request_id, seq),
    FOREIGN KEY (tenant_id, request_id) REFERENCES requests (tenant_id, id)
);

CREATE TABLE request_answers (
    tenant_id    TEXT NOT NULL,
    id           TEXT NOT NULL,
    request_id   TEXT NOT NULL,
    outcome_code TEXT NOT NULL,
    reply_text   TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('draft', 'approved', 'returned', 'delivered')),
    drafted_by   TEXT NOT NULL,
    drafted_at   TEXT NOT NULL,
    reviewed_by  TEXT,
    reviewed_at  TEXT,
    comments     TEXT,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, request_id) REFERENCES requests (tenant_id, id)
);
CREATE INDEX request_answers_request ON request_answers (tenant_id, request_id);

CREATE TABLE request_fees (
    tenant_id   TEXT NOT NULL,
    id          TEXT NOT NULL,
    request_id  TEXT NOT NULL,
    basis       TEXT NOT NULL CHECK (basis IN ('count', 'pages')),
    units       BIGINT NOT NULL,
    amount_yuan BIGINT NOT NULL,
    noticed_on  TEXT NOT NULL,
    pay_by      TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'lapsed')),
    paid_on     TEXT,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, request_id) REFERENCES requests (tenant_id, id)
);
CREATE INDEX request_fees_request ON request_fees (tenant_id, request_id);

CREATE TABLE request_remedies (
    tenant_id  TEXT NOT NULL,
    id         TEXT NOT NULL,
    request_id TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('reconsideration', 'litigation_direct', 'litigation_after_reconsideration')),
    result     TEXT NOT NULL CHECK (result IN ('upheld', 'corrected', 'other', 'pending')),
    case_number TEXT NOT NULL DEFAULT '',
    filed_on   TEXT NOT NULL,
    decided_on TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, request_id) REFERENCES requests (tenant_id, id)
);

-- A tenant's own reply texts; without a row the standard text shipped in code applies.
CREATE TABLE reply_templates (
    tenant_id    TEXT NOT NULL REFERENCES tenants (id),
    outcome_code TEXT NOT NULL,
    language     TEXT NOT NULL CHECK (language IN ('zh', 'en')),
    body         TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (tenant_id, outcome_code, language)
);

CREATE TABLE idempotency_keys (
    tenant_id  TEXT NOT NULL REFERENCES tenants (id),
    key        TEXT NOT NULL,
    body_hash  TEXT NOT NULL,
    status     BIGINT NOT NULL,
    response   TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, key)
);

-- Reminders already sent, so that each goes out once.
CREATE TABLE request_reminders (
    tenant_id  TEXT NOT NULL,
    request_id TEXT NOT NULL,
    kind       TEXT NOT NULL,
    due_on     TEXT NOT NULL,
    sent_at    TEXT NOT NULL,
    PRIMARY KEY (tenant_id, request_id, kind, due_on),
    FOREIGN KEY (tenant_id, request_id) REFERENCES requests (tenant_id, id)
);

-- The transactional outbox: written with the state change, sent by the worker.
CREATE TABLE email_outbox (
    tenant_id        TEXT NOT NULL REFERENCES tenants (id),
    id               TEXT NOT NULL,
    kind             TEXT NOT NULL,
    request_id       TEXT,
    to_sealed        TEXT NOT NULL,
    subject          TEXT NOT NULL,
    body_sealed      TEXT NOT NULL,
    attachment_name  TEXT,
    attachment_sealed TEXT,
    status           TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts         BIGINT NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    last_error       TEXT,
    created_at       TEXT NOT NULL,
    sent_at          TEXT,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX email_outbox_due ON email_outbox (status, next_attempt_at);

-- Row-level security, as for audit_log.
ALTER TABLE requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE requests FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON requests
    USING (tenant_id = ANY (app_tenant_ids()))
    WITH CHECK (tenant_id = ANY (app_tenant_ids()));

ALTER TABLE request_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE request_events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON request_events
    USING (tenant_id = ANY (app_tenant_ids()))
    WITH CHECK (tenant_id = ANY (app_tenant_ids()));

ALTER TABLE request_answers ENABLE ROW LEVEL SECURITY;
ALTER TABLE request_answers FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON request_answers
    USING (tenant_id = ANY (app_tenant_ids()))
    WITH CHECK (tenant_id = ANY (app_tenant_ids()));

ALTER TABLE request_fees ENABLE ROW LEVEL SECURITY;
ALTER TABLE request_fees FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON request_fees
    USING (tenant_id = ANY (app_tenant_ids()))
    WITH CHECK (tenant_id = ANY (app_tenant_ids()));

ALTER TABLE request_remedies ENABLE ROW LEVEL SECURITY;
ALTER TABLE request_remedies FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON request_remedies
    USING (tenant_id = ANY (app_tenant_ids()))
    WITH CHECK (tenant_id = ANY (app_tenant_ids()));

ALTER TABLE reply_templates ENABLE ROW LEVEL SECURITY;
ALTER TABLE reply_templates FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON reply_templates
    USING (tenant_id = ANY (app_tenant_ids()))
    WITH CHECK (tenant_id = ANY (app_tenant_ids()));

ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE idempotency_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON idempotency_keys
    USING (tenant_id = ANY (app_tenant_ids()))
    WITH CHECK (tenant_id = ANY (app_tenant_ids()));

ALTER TABLE request_reminders ENABLE ROW LEVEL SECURITY;
ALTER TABLE request_reminders FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON request_reminders
    USING (tenant_id = ANY (app_tenant_ids()))
    WITH CHECK (tenant_id = ANY (app_tenant_ids()));

ALTER TABLE email_outbox ENABLE ROW LEVEL SECURITY;
ALTER TABLE email_outbox FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON email_outbox
    USING (tenant_id = ANY (app_tenant_ids()))
    WITH CHECK (tenant_id = ANY (app_tenant_ids()));

ALTER TABLE request_counters ENABLE ROW LEVEL SECURITY;
ALTER TABLE request_counters FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON request_counters
    USING (tenant_id = ANY (app_tenant_ids()))
    WITH CHECK (tenant_id = ANY (app_tenant_ids()));
