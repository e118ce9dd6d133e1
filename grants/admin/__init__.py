"""The back office of grants: thin screens over :mod:`grants.services`, one module per story.

Importing the modules registers their screens with the admin site.
"""

from grants.admin import amendments, grants, instalments, programmes, reports

__all__ = ["amendments", "grants", "instalments", "programmes", "reports"]
