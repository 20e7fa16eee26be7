-- Create index on session_id for performance
--
-- Revision ID: c41f6e9b2d85
-- Revises: 5d2e8c7a4f19
-- Create Date: 2026-11-24 13:30:00+00:00

-- +upgrade
CREATE UNIQUE INDEX ix_sessions_session_id ON sessions (session_id);

-- +downgrade
DROP INDEX ix_sessions_session_id;
