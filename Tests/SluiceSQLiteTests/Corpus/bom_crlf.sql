-- Revision bom1
--
-- Revision ID: bom1
-- Revises: None

-- +upgrade
CREATE TABLE bom (id INTEGER);

-- +downgrade
DROP TABLE bom;
