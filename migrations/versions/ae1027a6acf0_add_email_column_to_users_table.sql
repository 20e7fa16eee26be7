-- Add email column to users table
--
-- Revision ID: ae1027a6acf0
-- Revises: 1975ea83b712
-- Create Date: 2026-11-24 10:15:00+00:00

-- +upgrade
ALTER TABLE users ADD COLUMN email TEXT;
CREATE INDEX ix_users_email ON users (email);

-- +downgrade
DROP INDEX ix_users_email;
ALTER TABLE users DROP COLUMN email;
