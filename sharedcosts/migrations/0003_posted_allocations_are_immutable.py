"""A posted allocation, and its shares, are never changed by the database's hand either.

The ledger holds the money an allocation moved; the allocation holds the
inputs and shares that explain it. Once posted, the only change left is
being superseded by a newer version. On PostgreSQL triggers refuse anything
else, whatever the Python does; other databases rely on the services.
"""

from django.db import migrations

FORWARD = r"""
CREATE FUNCTION sharedcosts_allocation_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status IN ('posted', 'superseded') THEN
        IF TG_OP = 'DELETE'
           OR NEW.status NOT IN ('posted', 'superseded')
           OR (OLD.status = 'superseded' AND NEW.status <> 'superseded')
           OR NEW.pool_id <> OLD.pool_id OR NEW.version <> OLD.version
           OR NEW.total <> OLD.total OR NEW.total_currency <> OLD.total_currency
           OR NEW.inputs::text <> OLD.inputs::text THEN
            RAISE EXCEPTION 'sharedcosts: allocation % is posted; post a new version instead', OLD.id
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER sharedcosts_allocation_frozen BEFORE UPDATE OR DELETE ON sharedcosts_allocation
    FOR EACH ROW EXECUTE FUNCTION sharedcosts_allocation_frozen();

CREATE FUNCTION sharedcosts_share_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM sharedcosts_allocation
        WHERE id = OLD.allocation_id AND status IN ('posted', 'superseded')
    ) THEN
        RAISE EXCEPTION 'sharedcosts: the shares of allocation % are posted', OLD.allocation_id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER sharedcosts_share_frozen BEFORE UPDATE OR DELETE ON sharedcosts_allocationshare
    FOR EACH ROW EXECUTE FUNCTION sharedcosts_share_frozen();
"""

BACKWARD = r"""
DROP TRIGGER sharedcosts_share_frozen ON sharedcosts_allocationshare;
DROP FUNCTION sharedcosts_share_frozen();
DROP TRIGGER sharedcosts_allocation_frozen ON sharedcosts_allocation;
DROP FUNCTION sharedcosts_allocation_frozen();
"""


class Migration(migrations.Migration):
    dependencies = [("sharedcosts", "0002_historicalallocation_historicalcostpool_and_more")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD, elidable=False)]
