-- Revision trg1
--
-- Revision ID: trg1
-- Revises: None

-- +upgrade
CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL);
CREATE TABLE ledger (account INTEGER, delta INTEGER, note TEXT);
CREATE TRIGGER trg_balance AFTER UPDATE OF balance ON accounts
BEGIN
    INSERT INTO ledger VALUES (NEW.id, NEW.balance - OLD.balance, 'a; semicolon; in a string');
    SELECT CASE WHEN NEW.balance < 0 THEN RAISE(ABORT, 'negative; balance') END;
END;

-- +downgrade
DROP TRIGGER trg_balance;
DROP TABLE ledger;
DROP TABLE accounts;
