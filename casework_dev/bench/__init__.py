"""``make bench``: synthetic data at scale and one table of page timings.

``python -m casework_dev.bench`` runs ``casework_dev.bench.run`` once per database (SQLite
always, PostgreSQL when DATABASE_URL points at it) and prints one table. The pages are listed in
``casework_dev/bench/pages.py``; a page whose URL does not resolve yet is listed as "not built".
"""
