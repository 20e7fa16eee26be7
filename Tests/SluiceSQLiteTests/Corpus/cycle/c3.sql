-- Revision c3
--
-- Revision ID: c3
-- Revises: c2

-- +upgrade
SELECT 1;

-- +downgrade
SELECT 1;
