"""Each account's movements per day and per fiscal year are kept by the database, beside its balance.

- The statement trigger on the entries (``ledger_entries_posted``, 0013)
  groups the statement's entries by account and day once, then adds them in
  one statement to the account's balance, to its movement of each day
  (``ledger_accountdaymovement``) and to its movement of each fiscal year
  (``ledger_accountperiodmovement``). So a balance as of a date is the sum
  of the account's years before the date's year (its opening balance) and
  of its days from that year's first day to the date: bounded by the days
  of one fiscal year, never by the number of entries.
- The rows are shared out like the balance's: a posting adds to the share
  its database transaction's id points at, the same share in the three
  tables, so two postings that wait for each other on a day's row already
  waited on the balance's. The balance's rows are taken first, then the
  days', then the years', each in the order of the accounts.
- Both tables have the balance's row-level security: every role reads them,
  only the owner (the trigger's function runs as it) writes them.
- ``ledger_balances_rebuild()`` compares and recomputes the three from the
  entries; a difference names its year (a year's movement) or its day
  (a day's movement), neither for a balance.

The existing entries are summed into share 0 while the entries are locked
against new postings; going back empties the two tables and brings back the
trigger and the rebuild of 0013.
"""

from django.db import migrations

# ledger.models.BALANCE_SHARDS when this migration was written.
BALANCE_SHARDS = 16

ENTRIES_CHECKED = r"""
    SELECT e.transaction_id, e.account_id, e.amount_currency, e.date,
           a.currency AS account_currency, t.date AS transaction_date, t.posted_at
        INTO wrong
        FROM new_entries e
        JOIN ledger_account a ON a.id = e.account_id
        JOIN ledger_transaction t ON t.id = e.transaction_id
        WHERE t.posted_at <> now() OR e.amount_currency <> a.currency OR e.date <> t.date
        LIMIT 1;
    IF FOUND THEN
        IF wrong.posted_at <> now() THEN
            RAISE EXCEPTION 'ledger: transaction % is already posted; entries cannot be added to it',
                wrong.transaction_id USING ERRCODE = 'integrity_constraint_violation';
        ELSIF wrong.amount_currency <> wrong.account_currency THEN
            RAISE EXCEPTION 'ledger: an entry in % on account % kept in %',
                wrong.amount_currency, wrong.account_id, wrong.account_currency USING ERRCODE = 'check_violation';
        ELSE
            RAISE EXCEPTION 'ledger: entry dated % in transaction % dated %',
                wrong.date, wrong.transaction_id, wrong.transaction_date USING ERRCODE = 'check_violation';
        END IF;
    END IF;
"""


def entries_posted(kept: str) -> str:
    """The trigger's function: the entries checked, then ``kept`` (what it writes)."""
    return rf"""
SELECT set_config('search_path', quote_ident(current_schema()) || ', pg_temp', true);
CREATE OR REPLACE FUNCTION ledger_entries_posted() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path FROM CURRENT SET enable_seqscan = off AS $$
DECLARE
    wrong record;
BEGIN
{ENTRIES_CHECKED}
{kept}
    RETURN NULL;
END $$;
"""


BALANCES_ONLY = rf"""
    INSERT INTO ledger_accountbalance AS kept (account_id, shard, amount, amount_currency)
        SELECT account_id, pg_current_xact_id()::text::bigint % {BALANCE_SHARDS}, sum(amount), amount_currency
        FROM new_entries GROUP BY account_id, amount_currency ORDER BY account_id
        ON CONFLICT (account_id, shard) DO UPDATE SET amount = kept.amount + EXCLUDED.amount;
"""

BALANCES_DAYS_AND_YEARS = rf"""
    WITH days AS (
        SELECT account_id, date AS day, amount_currency, sum(amount) AS amount,
               pg_current_xact_id()::text::bigint % {BALANCE_SHARDS} AS shard
        FROM new_entries GROUP BY account_id, date, amount_currency
    ), day_rows AS (
        INSERT INTO ledger_accountdaymovement AS kept (account_id, day, shard, amount, amount_currency)
            SELECT account_id, day, shard, amount, amount_currency FROM days ORDER BY account_id, day
            ON CONFLICT (account_id, day, shard) DO UPDATE SET amount = kept.amount + EXCLUDED.amount
    ), year_rows AS (
        INSERT INTO ledger_accountperiodmovement AS kept (account_id, start_year, shard, amount, amount_currency)
            SELECT account_id, ledger_fiscal_year(day), shard, sum(amount), amount_currency
            FROM days GROUP BY account_id, ledger_fiscal_year(day), shard, amount_currency
            ORDER BY account_id, ledger_fiscal_year(day)
            ON CONFLICT (account_id, start_year, shard) DO UPDATE SET amount = kept.amount + EXCLUDED.amount
    )
    INSERT INTO ledger_accountbalance AS kept (account_id, shard, amount, amount_currency)
        SELECT account_id, shard, sum(amount), amount_currency
        FROM days GROUP BY account_id, shard, amount_currency ORDER BY account_id
        ON CONFLICT (account_id, shard) DO UPDATE SET amount = kept.amount + EXCLUDED.amount;
"""

FORWARD = rf"""
LOCK TABLE ledger_entry IN SHARE ROW EXCLUSIVE MODE;

CREATE FUNCTION ledger_fiscal_year(day date) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN EXTRACT(YEAR FROM day)::integer - CASE WHEN EXTRACT(MONTH FROM day) < 4 THEN 1 ELSE 0 END;

ALTER TABLE ledger_accountdaymovement ENABLE ROW LEVEL SECURITY;
CREATE POLICY ledger_day_movement_read ON ledger_accountdaymovement FOR SELECT USING (true);
CREATE POLICY ledger_day_movement_not_rewritten ON ledger_accountdaymovement FOR UPDATE USING (true) WITH CHECK (false);
ALTER TABLE ledger_accountperiodmovement ENABLE ROW LEVEL SECURITY;
CREATE POLICY ledger_period_movement_read ON ledger_accountperiodmovement FOR SELECT USING (true);
CREATE POLICY ledger_period_movement_not_rewritten ON ledger_accountperiodmovement
    FOR UPDATE USING (true) WITH CHECK (false);

{entries_posted(BALANCES_DAYS_AND_YEARS)}

DROP FUNCTION ledger_balances_rebuild();
CREATE FUNCTION ledger_balances_rebuild()
RETURNS TABLE (account_id bigint, currency text, start_year integer, day date, kept numeric, summed numeric)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
    -- Postings wait until the rebuild commits, so the sums and the kept rows describe the same entries.
    LOCK TABLE ledger_entry IN SHARE MODE;
    LOCK TABLE ledger_accountbalance, ledger_accountdaymovement, ledger_accountperiodmovement IN EXCLUSIVE MODE;
    CREATE TEMPORARY TABLE ledger_rebuild_entry_days ON COMMIT DROP AS
        SELECT e.account_id, e.amount_currency::text AS currency, e.date AS day, sum(e.amount) AS total
        FROM ledger_entry e GROUP BY 1, 2, 3;
    RETURN QUERY
        WITH summed_years AS (
            SELECT s.account_id, s.currency, ledger_fiscal_year(s.day) AS start_year, sum(s.total) AS total
            FROM ledger_rebuild_entry_days s GROUP BY 1, 2, 3
        ), summed_balances AS (
            SELECT s.account_id, s.currency, sum(s.total) AS total FROM summed_years s GROUP BY 1, 2
        ), kept_days AS (
            SELECT d.account_id, d.amount_currency::text AS currency, d.day, sum(d.amount) AS total
            FROM ledger_accountdaymovement d GROUP BY 1, 2, 3
        ), kept_years AS (
            SELECT p.account_id, p.amount_currency::text AS currency, p.start_year::integer AS start_year,
                   sum(p.amount) AS total
            FROM ledger_accountperiodmovement p GROUP BY 1, 2, 3
        ), kept_balances AS (
            SELECT b.account_id, b.amount_currency::text AS currency, sum(b.amount) AS total
            FROM ledger_accountbalance b GROUP BY 1, 2
        )
        SELECT account_id, currency, NULL::integer, NULL::date, COALESCE(k.total, 0), COALESCE(s.total, 0)
            FROM kept_balances k FULL JOIN summed_balances s USING (account_id, currency)
            WHERE COALESCE(k.total, 0) <> COALESCE(s.total, 0)
        UNION ALL
        SELECT account_id, currency, start_year, NULL::date, COALESCE(k.total, 0), COALESCE(s.total, 0)
            FROM kept_years k FULL JOIN summed_years s USING (account_id, currency, start_year)
            WHERE COALESCE(k.total, 0) <> COALESCE(s.total, 0)
        UNION ALL
        SELECT account_id, currency, ledger_fiscal_year(day), day, COALESCE(k.total, 0), COALESCE(s.total, 0)
            FROM kept_days k FULL JOIN ledger_rebuild_entry_days s USING (account_id, currency, day)
            WHERE COALESCE(k.total, 0) <> COALESCE(s.total, 0)
        ORDER BY 1, 2, 3 NULLS FIRST, 4 NULLS FIRST;
    DELETE FROM ledger_accountbalance;
    DELETE FROM ledger_accountdaymovement;
    DELETE FROM ledger_accountperiodmovement;
    INSERT INTO ledger_accountbalance (account_id, shard, amount, amount_currency)
        SELECT s.account_id, 0, sum(s.total), s.currency FROM ledger_rebuild_entry_days s GROUP BY 1, 4;
    INSERT INTO ledger_accountperiodmovement (account_id, start_year, shard, amount, amount_currency)
        SELECT s.account_id, ledger_fiscal_year(s.day), 0, sum(s.total), s.currency FROM ledger_rebuild_entry_days s GROUP BY 1, 2, 5;
    INSERT INTO ledger_accountdaymovement (account_id, day, shard, amount, amount_currency)
        SELECT s.account_id, s.day, 0, s.total, s.currency FROM ledger_rebuild_entry_days s;
END $$;

INSERT INTO ledger_accountperiodmovement (account_id, start_year, shard, amount, amount_currency)
    SELECT account_id, ledger_fiscal_year(date), 0, sum(amount), amount_currency FROM ledger_entry GROUP BY 1, 2, 5;
INSERT INTO ledger_accountdaymovement (account_id, day, shard, amount, amount_currency)
    SELECT account_id, date, 0, sum(amount), amount_currency FROM ledger_entry GROUP BY 1, 2, 5;
"""

BACKWARD = rf"""
DROP FUNCTION ledger_balances_rebuild();
CREATE FUNCTION ledger_balances_rebuild()
RETURNS TABLE (account_id bigint, currency text, kept numeric, summed numeric) LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE ledger_entry IN SHARE MODE;
    LOCK TABLE ledger_accountbalance IN EXCLUSIVE MODE;
    RETURN QUERY
        WITH kept AS (
            SELECT b.account_id, b.amount_currency::text AS currency, sum(b.amount) AS total
            FROM ledger_accountbalance b GROUP BY 1, 2
        ), summed AS (
            SELECT e.account_id, e.amount_currency::text AS currency, sum(e.amount) AS total
            FROM ledger_entry e GROUP BY 1, 2
        )
        SELECT COALESCE(k.account_id, s.account_id), COALESCE(k.currency, s.currency),
               COALESCE(k.total, 0), COALESCE(s.total, 0)
        FROM kept k FULL JOIN summed s ON s.account_id = k.account_id AND s.currency = k.currency
        WHERE COALESCE(k.total, 0) <> COALESCE(s.total, 0)
        ORDER BY 1, 2;
    DELETE FROM ledger_accountbalance;
    INSERT INTO ledger_accountbalance (account_id, shard, amount, amount_currency)
        SELECT e.account_id, 0, sum(e.amount), e.amount_currency FROM ledger_entry e GROUP BY 1, 4;
END $$;

{entries_posted(BALANCES_ONLY)}

DROP POLICY ledger_period_movement_not_rewritten ON ledger_accountperiodmovement;
DROP POLICY ledger_period_movement_read ON ledger_accountperiodmovement;
ALTER TABLE ledger_accountperiodmovement DISABLE ROW LEVEL SECURITY;
DROP POLICY ledger_day_movement_not_rewritten ON ledger_accountdaymovement;
DROP POLICY ledger_day_movement_read ON ledger_accountdaymovement;
ALTER TABLE ledger_accountdaymovement DISABLE ROW LEVEL SECURITY;
DELETE FROM ledger_accountperiodmovement;
DELETE FROM ledger_accountdaymovement;
DROP FUNCTION ledger_fiscal_year(date);
"""


class Migration(migrations.Migration):
    dependencies = [("ledger", "0014_day_and_period_movements")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD, elidable=False)]
