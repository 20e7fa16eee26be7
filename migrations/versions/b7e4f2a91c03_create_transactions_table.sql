-- Create transactions table
--
-- Revision ID: b7e4f2a91c03
-- Revises: 3c8a9d2f1b47
-- Create Date: 2026-11-24 12:00:00+00:00
-- Branch Labels: ledger

-- +upgrade
CREATE TABLE transactions (
    id INTEGER PRIMARY KEY,
    card_id INTEGER NOT NULL REFERENCES payment_cards (id),
    amount_cents INTEGER NOT NULL,
    currency TEXT NOT NULL DEFAULT 'EUR',
    status TEXT NOT NULL CHECK (status IN ('authorized', 'captured', 'refunded', 'declined')),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX ix_transactions_card_id ON transactions (card_id);

-- Keep an audit trail of status changes; the trigger body holds semicolons of its own.
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

-- +downgrade
DROP TRIGGER trg_transactions_status;
DROP TABLE transaction_events;
DROP INDEX ix_transactions_card_id;
DROP TABLE transactions;
