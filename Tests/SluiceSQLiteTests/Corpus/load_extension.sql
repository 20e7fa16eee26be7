-- Revision ext1
--
-- Revision ID: ext1
-- Revises: None

-- +upgrade
SELECT load_extension('/tmp/sluice-corpus.so');

-- +downgrade
SELECT 1;
