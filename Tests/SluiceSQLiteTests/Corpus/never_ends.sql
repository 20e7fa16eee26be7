-- Revision end1
--
-- Revision ID: end1
-- Revises: None

-- +upgrade
CREATE TABLE t (id INTEGER);
INSERT INTO t VALUES ('this string never ends);

-- +downgrade
DROP TABLE t;
