"""English as written in Canada: ``December 27, 2026``, ``8:25 p.m.``, ``1,234.56``.

The project's English is its language code ``en``; Django's own ``en`` writes
short dates ``12/27/2026`` and long ones ``Jan. 3, 2028``: one style here.
"""

DATE_FORMAT = "F j, Y"
TIME_FORMAT = "g:i a"
DATETIME_FORMAT = "F j, Y, g:i a"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "F j"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
FIRST_DAY_OF_WEEK = 0
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
