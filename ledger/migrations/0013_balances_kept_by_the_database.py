"""Each account's balance is kept by the database, in the transaction that posts its entries.

- One statement trigger on the entries (``AFTER INSERT ... FOR EACH
  STATEMENT`` with a transition table) replaces the row trigger that checked
  each entry: it checks the statement's entries against their accounts and
  transactions in one query, then adds each account's movement to its
  balance in one upsert, however many entries the statement wrote (the
  daily run's thousands of instalments touch the envelope's balance once
  per statement, not once per instalment).
- A balance is spread over ``BALANCE_SHARDS`` rows per account
  (``ledger_accountbalance``, primary key account and share). A posting adds
  to the share its database transaction's id points at, so two workers
  posting to the same hot account (a programme's envelope, the site's cash)
  wait for each other's commit only when they draw the same share. Within a
  statement the rows are taken in the order of the account ids, so two
  postings never take each other's locks crosswise.
- The trigger's function runs as the owner (``SECURITY DEFINER``, its
  search path fixed), and ``ledger_accountbalance`` has row-level security
  that lets every other role read its rows and nothing else: the
  application's role gets an error for an INSERT or an UPDATE and deletes
  nothing, whatever its grants. The owner is not subject to it, so the
  postings pay nothing for it.
- ``ledger_balances_rebuild()`` (run by the owner, ``manage.py
  ledger_balances_rebuild``) recomputes the balances from the entries and
  returns every account whose kept balance differed.
- The check at commit that a transaction balances is one query in the
  trigger's own function, no longer a loop in a function it calls.
- A fiscal period's refusal names the constraint ``ledger_fiscal_period_open``
  so that the posting service tells it from any other error without parsing
  words.

The existing entries are summed into share 0 of each account while the
entries are locked against new postings; going back empties the balances,
which going forward again rebuilds.
"""

from django.db import migrations

# ledger.models.BALANCE_SHARDS when this migration was written (0010's check constraint holds it too).
BALANCE_SHARDS = 16

FORWARD = rf"""
LOCK TABLE ledger_entry IN SHARE ROW EXCLUSIVE MODE;

ALTER TABLE ledger_accountbalance ENABLE ROW LEVEL SECURITY;
CREATE POLICY ledger_balance_read ON ledger_accountbalance FOR SELECT USING (true);
CREATE POLICY ledger_balance_not_rewritten ON ledger_accountbalance FOR UPDATE USING (true) WITH CHECK (false);

-- The owner's function names tables unqualified: it finds them in this schema, never in a caller's temporary one.
SELECT set_config('search_path', quote_ident(current_schema()) || ', pg_temp', true);
CREATE FUNCTION ledger_entries_posted() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path FROM CURRENT SET enable_seqscan = off AS $$
DECLARE
    wrong record;
BEGIN
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
    INSERT INTO ledger_accountbalance AS kept (account_id, shard, amount, amount_currency)
        SELECT account_id, pg_current_xact_id()::text::bigint % {BALANCE_SHARDS}, sum(amount), amount_currency
        FROM new_entries GROUP BY account_id, amount_currency ORDER BY account_id
        ON CONFLICT (account_id, shard) DO UPDATE SET amount = kept.amount + EXCLUDED.amount;
    RETURN NULL;
END $$;

DROP TRIGGER ledger_entry_matches ON ledger_entry;
DROP FUNCTION ledger_entry_matches();
CREATE TRIGGER ledger_entries_posted AFTER INSERT ON ledger_entry
    REFERENCING NEW TABLE AS new_entries FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_posted();

CREATE OR REPLACE FUNCTION ledger_transaction_period() RETURNS trigger LANGUAGE plpgsql AS $$
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
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_fiscal_period_open';
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION ledger_transaction_balanced() RETURNS trigger LANGUAGE plpgsql
SET enable_seqscan = off AS $$
DECLARE
    entry_count bigint;
    unbalanced text;
BEGIN
    SELECT COALESCE(sum(entries), 0), min(amount_currency) FILTER (WHERE total <> 0)
        INTO entry_count, unbalanced
        FROM (
            SELECT amount_currency, sum(amount) AS total, count(*) AS entries
            FROM ledger_entry WHERE transaction_id = NEW.id GROUP BY amount_currency
        ) AS per_currency;
    IF entry_count < 2 THEN
        RAISE EXCEPTION 'ledger: transaction % has % entries; it needs at least two', NEW.id, entry_count
            USING ERRCODE = 'check_violation';
    END IF;
    IF unbalanced IS NOT NULL THEN
        RAISE EXCEPTION 'ledger: transaction % does not balance in %', NEW.id, unbalanced
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;
DROP FUNCTION ledger_check_balanced(bigint);

CREATE FUNCTION ledger_balances_rebuild()
RETURNS TABLE (account_id bigint, currency text, kept numeric, summed numeric) LANGUAGE plpgsql AS $$
BEGIN
    -- Postings wait until the rebuild commits, so the sums and the kept rows describe the same entries.
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

INSERT INTO ledger_accountbalance (account_id, shard, amount, amount_currency)
    SELECT account_id, 0, sum(amount), amount_currency FROM ledger_entry GROUP BY 1, 4;
"""

BACKWARD = r"""
DROP FUNCTION ledger_balances_rebuild();
CREATE FUNCTION ledger_check_balanced(txn_id bigint) RETURNS void LANGUAGE plpgsql SET enable_seqscan = off AS $$
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
CREATE OR REPLACE FUNCTION ledger_transaction_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ledger_check_balanced(NEW.id);
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION ledger_transaction_period() RETURNS trigger LANGUAGE plpgsql AS $$
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
DROP TRIGGER ledger_entries_posted ON ledger_entry;
DROP FUNCTION ledger_entries_posted();
CREATE FUNCTION ledger_entry_matches() RETURNS trigger LANGUAGE plpgsql SET enable_seqscan = off AS $$
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
DROP POLICY ledger_balance_not_rewritten ON ledger_accountbalance;
DROP POLICY ledger_balance_read ON ledger_accountbalance;
ALTER TABLE ledger_accountbalance DISABLE ROW LEVEL SECURITY;
DELETE FROM ledger_accountbalance;
"""


class Migration(migrations.Migration):
    dependencies = [("ledger", "0012_account_balances")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD, elidable=False)]
