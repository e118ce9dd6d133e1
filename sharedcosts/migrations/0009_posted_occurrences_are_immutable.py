"""A posted occurrence of a recurring expense is never changed by the database's hand either.

It records which expense (and so which ledger transaction) posted the
schedule's date; an amendment or an early end only touches occurrences not
posted yet. A trigger refuses any other change of a posted row, and its
deletion; the table refuses TRUNCATE like the other tables of posted money.
"""

from django.db import migrations

FORWARD = r"""
CREATE FUNCTION sharedcosts_occurrence_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'posted' THEN
        IF TG_OP = 'DELETE'
           OR NEW.status <> 'posted' OR NEW.schedule_id <> OLD.schedule_id OR NEW.date <> OLD.date
           OR NEW.amount <> OLD.amount OR NEW.amount_currency <> OLD.amount_currency
           OR NEW.expense_id <> OLD.expense_id THEN
            RAISE EXCEPTION 'sharedcosts: occurrence % is posted and stays as it is', OLD.id
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER sharedcosts_occurrence_frozen BEFORE UPDATE OR DELETE ON sharedcosts_recurringoccurrence
    FOR EACH ROW EXECUTE FUNCTION sharedcosts_occurrence_frozen();

CREATE TRIGGER sharedcosts_recurringoccurrence_no_truncate BEFORE TRUNCATE ON sharedcosts_recurringoccurrence
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_truncate();
"""

BACKWARD = r"""
DROP TRIGGER sharedcosts_recurringoccurrence_no_truncate ON sharedcosts_recurringoccurrence;
DROP TRIGGER sharedcosts_occurrence_frozen ON sharedcosts_recurringoccurrence;
DROP FUNCTION sharedcosts_occurrence_frozen();
"""


class Migration(migrations.Migration):
    dependencies = [("sharedcosts", "0008_recurring_expenses")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD, elidable=False)]
