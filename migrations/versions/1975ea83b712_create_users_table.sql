-- Create users table
--
-- Revision ID: 1975ea83b712
-- Revises: None
-- Create Date: 2026-11-20 09:00:00+00:00

-- +upgrade
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    full_name TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- +downgrade
DROP TABLE users;
