"""Meetings that share the travel fairly.

The partnership guide asks to rotate the meeting place among the volunteer
partners and to vary the format, so that travel weighs fairly on everyone.
Here: where each organisation's premises are (:mod:`.models`), the road
distances between municipalities and the per-km rates in force
(:mod:`.selectors`), each meeting's travel and a group's rotation with the
suggested next host (:mod:`.rotation`), and a period's travel equalised
through a cost pool like any other cost (:mod:`.services`).
"""
