-- Merge transactions and sessions
--
-- Revision ID: e9a3b5c7d1f2
-- Revises: b7e4f2a91c03, c41f6e9b2d85
-- Create Date: 2026-11-24 14:00:00+00:00

-- +upgrade

-- +downgrade
