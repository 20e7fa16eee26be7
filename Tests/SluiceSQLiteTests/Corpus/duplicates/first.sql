-- Revision same1
--
-- Revision ID: same1
-- Revises: None

-- +upgrade
SELECT 1;

-- +downgrade
SELECT 1;
