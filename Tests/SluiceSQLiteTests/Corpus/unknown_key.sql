-- typo
--
-- Revision ID: typo1
-- Revsies: abc

-- +upgrade
SELECT 1;
