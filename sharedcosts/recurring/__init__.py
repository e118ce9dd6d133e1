"""Recurring expenses of a pool: monthly rent, a lease, insurance, posted by the daily run exactly once.

1. :mod:`~sharedcosts.recurring.models`: a schedule (who pays, the vendor,
   the first amount, a rhythm between a start and an optional end, an
   optional yearly indexation), its amendments of the amount from a date on,
   and each dated occurrence, which records the expense that posted it.
2. :mod:`~sharedcosts.recurring.timetable`: the days a schedule falls on and
   its amount on a day, pure arithmetic.
3. :mod:`~sharedcosts.recurring.services`: staff create a schedule, pause
   and resume it, end it early, amend its amount from a date on.
4. :mod:`~sharedcosts.recurring.run`: the daily run posts each occurrence
   due, as an ordinary expense of the pool, exactly once.
5. :mod:`~sharedcosts.recurring.selectors`: the next occurrences, and a
   pool's recurring total for its period beside its budgeted cost.
"""
