-- Create payment cards table
--
-- Revision ID: 3c8a9d2f1b47
-- Revises: ae1027a6acf0
-- Create Date: 2026-11-24 11:00:00+00:00

-- +upgrade
-- Only the last four digits and a token from the card vault are stored, never the PAN.
CREATE TABLE payment_cards (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    vault_token TEXT NOT NULL UNIQUE,
    last4 TEXT NOT NULL CHECK (length(last4) = 4),
    expires_on TEXT NOT NULL
);
CREATE INDEX ix_payment_cards_user_id ON payment_cards (user_id);

-- +downgrade
DROP INDEX ix_payment_cards_user_id;
DROP TABLE payment_cards;
