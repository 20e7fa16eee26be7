-- Revision ab@c-d+e:f
--
-- Revision ID: ab@c-d+e:f
-- Revises: None

-- +upgrade
SELECT 1;

-- +downgrade
SELECT 1;
