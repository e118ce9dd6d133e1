"""The ledger's guarantees hold against the application's own role, and against careless owners.

- TRUNCATE of transactions or entries is refused (a statement trigger: the
  row triggers that refuse DELETE do not fire on TRUNCATE, and ``TRUNCATE
  ledger_transaction CASCADE`` would also empty everything that points at
  it). The one exception is the test suite's flush, run by the owner with
  ``aire_ouverte.flush`` on (``ledger/management/commands/flush.py``).
- A closed fiscal period cannot be deleted: otherwise the next posting dated
  in it would open it again.
- An account with entries keeps its party and its type, as it keeps its
  currency: changing its party would hand its whole history to another
  partner.
"""

from django.db import migrations

FORWARD = r"""
CREATE FUNCTION ledger_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('aire_ouverte.flush', true) IS DISTINCT FROM 'on' THEN
        RAISE EXCEPTION 'ledger: TRUNCATE of % is refused; posted money is immutable', TG_TABLE_NAME
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER ledger_transaction_no_truncate BEFORE TRUNCATE ON ledger_transaction
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_truncate();
CREATE TRIGGER ledger_entry_no_truncate BEFORE TRUNCATE ON ledger_entry
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_truncate();

CREATE FUNCTION ledger_closed_period_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.is_closed THEN
        RAISE EXCEPTION 'ledger: fiscal period % is closed and is kept', OLD.start_year
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN OLD;
END $$;

CREATE TRIGGER ledger_closed_period_kept BEFORE DELETE ON ledger_fiscalperiod
    FOR EACH ROW EXECUTE FUNCTION ledger_closed_period_kept();

CREATE OR REPLACE FUNCTION ledger_account_keeps_currency() RETURNS trigger LANGUAGE plpgsql
SET enable_seqscan = off AS $$
BEGIN
    IF (NEW.currency IS DISTINCT FROM OLD.currency
        OR NEW.party_id IS DISTINCT FROM OLD.party_id
        OR NEW.type IS DISTINCT FROM OLD.type)
       AND EXISTS (SELECT 1 FROM ledger_entry WHERE account_id = OLD.id) THEN
        RAISE EXCEPTION 'ledger: account % has entries and keeps its currency, party and type', OLD.code
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;

DROP TRIGGER ledger_account_keeps_currency ON ledger_account;
CREATE TRIGGER ledger_account_keeps_currency BEFORE UPDATE OF currency, party_id, type ON ledger_account
    FOR EACH ROW EXECUTE FUNCTION ledger_account_keeps_currency();
"""

BACKWARD = r"""
DROP TRIGGER ledger_account_keeps_currency ON ledger_account;
CREATE OR REPLACE FUNCTION ledger_account_keeps_currency() RETURNS trigger LANGUAGE plpgsql
SET enable_seqscan = off AS $$
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
DROP TRIGGER ledger_closed_period_kept ON ledger_fiscalperiod;
DROP FUNCTION ledger_closed_period_kept();
DROP TRIGGER ledger_entry_no_truncate ON ledger_entry;
DROP TRIGGER ledger_transaction_no_truncate ON ledger_transaction;
DROP FUNCTION ledger_refuse_truncate();
"""


class Migration(migrations.Migration):
    dependencies = [("ledger", "0007_importjob_moves_to_spreadsheets")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD, elidable=False)]
