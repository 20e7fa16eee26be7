-- Revision c2
--
-- Revision ID: c2
-- Revises: c1

-- +upgrade
SELECT 1;

-- +downgrade
SELECT 1;
