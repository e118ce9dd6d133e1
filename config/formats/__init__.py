"""Dates, times and numbers as the project writes them (``FORMAT_MODULE_PATH``).

Django's own modules fill in whatever these leave out (the input formats).
French is written as in Québec (``20 h 25``, ``1 234,56``); English as in
Canada, one long style for dates in both, so a page never shows
``12/27/2026`` beside ``Jan. 3, 2028``.
"""
