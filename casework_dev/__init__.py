"""Casework's development tools: synthetic data at scale and ``make bench``.

Not part of the product. The web app, the worker and the admin never import this
package; settings add it to ``INSTALLED_APPS`` only for development (``DJANGO_DEBUG=1``,
or ``CASEWORK_DEV_TOOLS=1``), which is what makes ``seed_synthetic`` and
``bench_letters`` exist as commands. ``tests/casework_dev/test_not_in_product.py``
checks that production settings import none of it.
"""
