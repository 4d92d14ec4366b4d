"""Synthetic records at scale, one module per app whose rows they are: ``cases`` (people,
groups, timelines; it runs the seeding) and ``letters`` (appeal letters about them)."""
