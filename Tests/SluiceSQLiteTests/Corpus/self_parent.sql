-- Revision self1
--
-- Revision ID: self1
-- Revises: self1

-- +upgrade
SELECT 1;

-- +downgrade
SELECT 1;
