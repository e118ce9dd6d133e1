"""Programme names and grant titles sort as a French reader looks them up (the collation of ledger 0016)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('grants', '0008_instalment_hold_codes'),
        ('ledger', '0016_names_sort_as_french_reads'),
    ]

    operations = [
        migrations.AlterField(
            model_name='fundingprogramme',
            name='name',
            field=models.CharField(db_collation='names', max_length=200, verbose_name='name'),
        ),
        migrations.AlterField(
            model_name='grant',
            name='title',
            field=models.CharField(db_collation='names', max_length=200, verbose_name='project title'),
        ),
    ]
