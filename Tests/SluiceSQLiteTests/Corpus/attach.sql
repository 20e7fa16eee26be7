-- Revision att1
--
-- Revision ID: att1
-- Revises: None

-- +upgrade
CREATE TABLE a (id INTEGER);
ATTACH DATABASE '/tmp/sluice-corpus-other.db' AS other;

-- +downgrade
DROP TABLE a;
