"""Pool names sort as a French reader looks them up (the collation of ledger 0016)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('sharedcosts', '0010_travel_and_recurring_constraints_in_words'),
        ('ledger', '0016_names_sort_as_french_reads'),
    ]

    operations = [
        migrations.AlterField(
            model_name='costpool',
            name='name',
            field=models.CharField(db_collation='names', max_length=200, unique=True, verbose_name='name'),
        ),
    ]
