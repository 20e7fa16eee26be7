-- Revision utf1
--
-- Revision ID: utf1
-- Revises: None

-- +upgrade
INSERT INTO t VALUES ('café');

-- +downgrade
SELECT 1;
