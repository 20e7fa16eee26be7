-- Revision c1
--
-- Revision ID: c1
-- Revises: c3

-- +upgrade
SELECT 1;

-- +downgrade
SELECT 1;
