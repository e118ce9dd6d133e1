"""French as written in Québec (OQLF): ``27 décembre 2026``, ``20 h 25``, ``1 234,56``.

Django's fr-CA writes the time ``H\\xa0h\\xa0i``, and ``h`` is itself a format
character (the hour on 12): "20 08 25" for 20 h 25. The ``h`` is escaped here.
The first of the month ("1er avril") is written by the ``long_date`` filter:
Django's format characters cannot.
"""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "G\xa0\\h\xa0i"
DATETIME_FORMAT = "j F Y, G\xa0\\h\xa0i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
FIRST_DAY_OF_WEEK = 0
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
