"""The ledger's invariants, held by PostgreSQL whatever the Python does.

- A transaction has at least two entries and balances in each currency:
  checked at commit by a deferred constraint trigger, so the entries of a
  transaction can be inserted one by one within the same database
  transaction.
- Entries are added to a transaction only in the database transaction that
  inserts it: its ``posted_at`` is set to ``now()`` (the start of the
  database transaction) and an entry is refused where they differ. So the
  check at commit covers every entry, and a posted transaction cannot be
  changed by adding to it.
- Transactions and entries are never updated or deleted.
- A transaction is dated inside its fiscal period, and that period is open;
  the period's row is locked FOR SHARE so that closing it waits for the
  postings under way.
- An entry is in its account's currency and carries its transaction's date.
- A closed period is never reopened; an account with entries keeps its
  currency.
"""

from django.db import migrations

FORWARD = r"""
CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger: % on % is refused; posted money is immutable, post a reversal instead',
        TG_OP, TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
END $$;

CREATE TRIGGER ledger_transaction_immutable BEFORE UPDATE OR DELETE ON ledger_transaction
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_entry_immutable BEFORE UPDATE OR DELETE ON ledger_entry
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();

CREATE FUNCTION ledger_check_balanced(txn_id bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    entry_count integer := 0;
    unbalanced text;
    per_currency record;
BEGIN
    FOR per_currency IN
        SELECT amount_currency, sum(amount) AS total, count(*) AS entries
        FROM ledger_entry WHERE transaction_id = txn_id GROUP BY amount_currency
    LOOP
        entry_count := entry_count + per_currency.entries;
        IF per_currency.total <> 0 THEN
            unbalanced := per_currency.amount_currency;
        END IF;
    END LOOP;
    IF entry_count < 2 THEN
        RAISE EXCEPTION 'ledger: transaction % has % entries; it needs at least two', txn_id, entry_count
            USING ERRCODE = 'check_violation';
    END IF;
    IF unbalanced IS NOT NULL THEN
        RAISE EXCEPTION 'ledger: transaction % does not balance in %', txn_id, unbalanced
            USING ERRCODE = 'check_violation';
    END IF;
END $$;

CREATE FUNCTION ledger_transaction_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ledger_check_balanced(NEW.id);
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER ledger_transaction_balanced AFTER INSERT ON ledger_transaction
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_transaction_balanced();

CREATE FUNCTION ledger_transaction_period() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.posted_at := now();
    IF NEW.period_id <> (EXTRACT(YEAR FROM NEW.date) - CASE WHEN EXTRACT(MONTH FROM NEW.date) < 4 THEN 1 ELSE 0 END)
    THEN
        RAISE EXCEPTION 'ledger: % is outside fiscal period %', NEW.date, NEW.period_id
            USING ERRCODE = 'check_violation';
    END IF;
    PERFORM 1 FROM ledger_fiscalperiod WHERE start_year = NEW.period_id AND NOT is_closed FOR SHARE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'ledger: fiscal period % is closed', NEW.period_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER ledger_transaction_period BEFORE INSERT ON ledger_transaction
    FOR EACH ROW EXECUTE FUNCTION ledger_transaction_period();

CREATE FUNCTION ledger_entry_matches() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    account_currency text;
    transaction_date date;
    transaction_posted_at timestamptz;
BEGIN
    SELECT a.currency, t.date, t.posted_at INTO account_currency, transaction_date, transaction_posted_at
        FROM ledger_account a, ledger_transaction t
        WHERE a.id = NEW.account_id AND t.id = NEW.transaction_id;
    IF transaction_posted_at IS DISTINCT FROM now() THEN
        RAISE EXCEPTION 'ledger: transaction % is already posted; entries cannot be added to it', NEW.transaction_id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NEW.amount_currency IS DISTINCT FROM account_currency THEN
        RAISE EXCEPTION 'ledger: an entry in % on account % kept in %',
            NEW.amount_currency, NEW.account_id, account_currency USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.date IS DISTINCT FROM transaction_date THEN
        RAISE EXCEPTION 'ledger: entry dated % in transaction % dated %',
            NEW.date, NEW.transaction_id, transaction_date USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER ledger_entry_matches BEFORE INSERT ON ledger_entry
    FOR EACH ROW EXECUTE FUNCTION ledger_entry_matches();

CREATE FUNCTION ledger_period_stays_closed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.is_closed AND NOT NEW.is_closed THEN
        RAISE EXCEPTION 'ledger: fiscal period % is closed and stays closed', OLD.start_year
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER ledger_period_stays_closed BEFORE UPDATE ON ledger_fiscalperiod
    FOR EACH ROW EXECUTE FUNCTION ledger_period_stays_closed();

CREATE FUNCTION ledger_account_keeps_currency() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.currency IS DISTINCT FROM OLD.currency
       AND EXISTS (SELECT 1 FROM ledger_entry WHERE account_id = OLD.id) THEN
        RAISE EXCEPTION 'ledger: account % has entries and keeps its currency %', OLD.code, OLD.currency
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER ledger_account_keeps_currency BEFORE UPDATE OF currency ON ledger_account
    FOR EACH ROW EXECUTE FUNCTION ledger_account_keeps_currency();
"""

BACKWARD = r"""
DROP TRIGGER ledger_account_keeps_currency ON ledger_account;
DROP FUNCTION ledger_account_keeps_currency();
DROP TRIGGER ledger_period_stays_closed ON ledger_fiscalperiod;
DROP FUNCTION ledger_period_stays_closed();
DROP TRIGGER ledger_entry_matches ON ledger_entry;
DROP FUNCTION ledger_entry_matches();
DROP TRIGGER ledger_transaction_period ON ledger_transaction;
DROP FUNCTION ledger_transaction_period();
DROP TRIGGER ledger_transaction_balanced ON ledger_transaction;
DROP FUNCTION ledger_transaction_balanced();
DROP FUNCTION ledger_check_balanced(bigint);
DROP TRIGGER ledger_entry_immutable ON ledger_entry;
DROP TRIGGER ledger_transaction_immutable ON ledger_transaction;
DROP FUNCTION ledger_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD, elidable=False)]
