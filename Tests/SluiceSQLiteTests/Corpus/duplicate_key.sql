-- dup
--
-- Revision ID: dup1
-- Revises: None
-- Revises: None

-- +upgrade
SELECT 1;
