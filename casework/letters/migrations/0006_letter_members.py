from django.db import migrations, models


def members_from_groups(apps, schema_editor):
    """Letters written before the members were kept: their group's members now, the
    best record there is of whom they were written from."""
    Letter = apps.get_model("letters", "Letter")
    GroupMembership = apps.get_model("cases", "GroupMembership")
    Member = Letter.members.through
    letters = Letter.objects.filter(group__isnull=False).values_list("pk", "group_id")
    for start in range(0, letters.count(), 2_000):
        chunk = dict(letters.order_by("pk")[start : start + 2_000])
        memberships = GroupMembership.objects.filter(group_id__in=set(chunk.values()))
        by_group: dict[int, list[int]] = {}
        for group_id, person_id in memberships.values_list("group_id", "person_id"):
            by_group.setdefault(group_id, []).append(person_id)
        Member.objects.bulk_create(
            Member(letter_id=letter_id, person_id=person_id)
            for letter_id, group_id in chunk.items()
            for person_id in by_group.get(group_id, [])
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_person_pseudonym_search_index"),
        ("letters", "0005_letter_list_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="letter",
            name="members",
            field=models.ManyToManyField(
                blank=True,
                help_text="For a group letter: the members it was written from.",
                related_name="group_letters",
                to="cases.person",
            ),
        ),
        migrations.RunPython(members_from_groups, migrations.RunPython.noop, elidable=True),
    ]
