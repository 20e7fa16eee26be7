-- The schema the example history should produce, as the application wants it: what
-- `sluice diff` compares the heads with and `sluice create --autogenerate` writes a
-- revision towards (see docs/revisions.md, Writing revisions). Edit it, then run those.

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    full_name TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    email TEXT
);
CREATE INDEX ix_users_email ON users (email);
CREATE TABLE payment_cards (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    vault_token TEXT NOT NULL UNIQUE,
    last4 TEXT NOT NULL CHECK (length(last4) = 4),
    expires_on TEXT NOT NULL
);
CREATE INDEX ix_payment_cards_user_id ON payment_cards (user_id);
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    session_id TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at TEXT NOT NULL
);
CREATE UNIQUE INDEX ix_sessions_session_id ON sessions (session_id);
CREATE TABLE transactions (
    id INTEGER PRIMARY KEY,
    card_id INTEGER NOT NULL REFERENCES payment_cards (id),
    amount_cents INTEGER NOT NULL,
    currency TEXT NOT NULL DEFAULT 'EUR',
    status TEXT NOT NULL CHECK (status IN ('authorized', 'captured', 'refunded', 'declined')),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX ix_transactions_card_id ON transactions (card_id);
CREATE TABLE transaction_events (
    id INTEGER PRIMARY KEY,
    transaction_id INTEGER NOT NULL REFERENCES transactions (id),
    old_status TEXT,
    new_status TEXT NOT NULL,
    at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE TRIGGER trg_transactions_status AFTER UPDATE OF status ON transactions
BEGIN
    INSERT INTO transaction_events (transaction_id, old_status, new_status)
    VALUES (NEW.id, OLD.status, NEW.status);
END;
