-- no upgrade section
--
-- Revision ID: noup1
-- Revises: None

-- +downgrade
SELECT 1;
