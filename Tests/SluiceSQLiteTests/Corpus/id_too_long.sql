-- Revision aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
--
-- Revision ID: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
-- Revises: None

-- +upgrade
SELECT 1;

-- +downgrade
SELECT 1;
