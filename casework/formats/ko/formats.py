"""Korean: year, month, day ("2026년 12월 5일"), 24-hour times.

Templates name these ("DATE_FORMAT"); Python uses ``django.utils.formats.date_format``.
What is not set here falls back to Django's own Korean formats.
"""

DATE_FORMAT = "Y년 n월 j일"
DATETIME_FORMAT = "Y년 n월 j일 H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "Y년 n월"
MONTH_DAY_FORMAT = "n월 j일"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
FIRST_DAY_OF_WEEK = 0  # Sunday, as Korean calendars print it

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
