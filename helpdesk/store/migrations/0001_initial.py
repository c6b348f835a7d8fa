import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('agents', '0003_cannedreply'),
        ('customers', '0002_name_trigram'),
        ('orders', '0002_order_postcode'),
        ('tickets', '0002_open_inbox_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ContactReason',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=80, unique=True)),
                ('position', models.PositiveSmallIntegerField(default=0, help_text='Order on the store screen.')),
                ('active', models.BooleanField(default=True, help_text='Inactive reasons are no longer offered.')),
            ],
            options={
                'ordering': ['position', 'name'],
            },
        ),
        migrations.CreateModel(
            name='StoreContact',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('outcome', models.CharField(choices=[('solved', 'Solved on the spot'), ('handed_over', 'Handed over to the service team'), ('store_follow_up', 'Follow-up by the store')], max_length=16)),
                ('walk_in', models.BooleanField(default=False, help_text='Logged without looking the customer up.')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('customer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='store_contacts', to='customers.customer')),
                ('message', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tickets.message')),
                ('order', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='orders.order')),
                ('reason', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='contacts', to='store.contactreason')),
                ('staff', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('store', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='contacts', to='agents.store')),
                ('ticket', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tickets.ticket')),
            ],
            options={
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['store', '-created_at'], name='store_store_store_i_156fe6_idx')],
            },
        ),
    ]
