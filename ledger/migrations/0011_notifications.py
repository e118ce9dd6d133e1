# The notification system: one message per event and person, kinds turned off, the language each person chose.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('ledger', '0010_constraints_in_words'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ContactLanguage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language', models.CharField(choices=[('fr-ca', 'French'), ('en', 'English')], max_length=10, verbose_name='language')),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='contact_language', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'contact language',
                'verbose_name_plural': 'contact languages',
            },
        ),
        migrations.CreateModel(
            name='Notification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('report_reminder', 'Reminders of reports due soon or late'), ('report_submitted', 'Reports submitted for review (finance staff)'), ('report_reviewed', 'Reports accepted or sent back for changes'), ('grant_changed', 'Grants approved, amended or cancelled'), ('instalment', 'Instalments paid, held or released'), ('allocation_posted', 'Shares of shared costs posted')], max_length=30, verbose_name='kind')),
                ('event_key', models.CharField(max_length=200, verbose_name='event')),
                ('email', models.EmailField(max_length=254, verbose_name='address')),
                ('language', models.CharField(choices=[('fr-ca', 'French'), ('en', 'English')], max_length=10, verbose_name='language')),
                ('subject', models.CharField(max_length=255, verbose_name='subject')),
                ('body', models.TextField(verbose_name='message')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='sent at')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL, verbose_name='person')),
            ],
            options={
                'verbose_name': 'notification',
                'verbose_name_plural': 'notifications',
                'ordering': ['-created_at', '-pk'],
                'indexes': [models.Index(condition=models.Q(('sent_at__isnull', True)), fields=['event_key'], name='ledger_notification_unsent')],
                'constraints': [models.UniqueConstraint(fields=('event_key', 'user'), name='ledger_notification_once_per_event_and_person')],
            },
        ),
        migrations.CreateModel(
            name='NotificationOptOut',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('report_reminder', 'Reminders of reports due soon or late'), ('report_submitted', 'Reports submitted for review (finance staff)'), ('report_reviewed', 'Reports accepted or sent back for changes'), ('grant_changed', 'Grants approved, amended or cancelled'), ('instalment', 'Instalments paid, held or released'), ('allocation_posted', 'Shares of shared costs posted')], max_length=30, verbose_name='kind')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notification_opt_outs', to=settings.AUTH_USER_MODEL, verbose_name='person')),
            ],
            options={
                'verbose_name': 'notification turned off',
                'verbose_name_plural': 'notifications turned off',
                'constraints': [models.UniqueConstraint(fields=('user', 'kind'), name='ledger_notification_opt_out_once')],
            },
        ),
    ]
