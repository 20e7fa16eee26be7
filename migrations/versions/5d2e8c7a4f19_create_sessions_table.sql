-- Create sessions table
--
-- Revision ID: 5d2e8c7a4f19
-- Revises: 3c8a9d2f1b47
-- Create Date: 2026-11-24 12:05:00+00:00
-- Branch Labels: sessions

-- +upgrade
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    session_id TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at TEXT NOT NULL
);

-- +downgrade
DROP TABLE sessions;
