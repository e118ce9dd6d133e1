"""Settings of a developer's machine: the real ones, with DEBUG on unless told otherwise.

``manage.py`` uses them, so that ``makemigrations``, ``shell`` or ``check``
work on a fresh clone. Production (wsgi, the image, the worker) names
``config.settings``, which refuses to start without a ``SECRET_KEY``.
"""

import os

os.environ.setdefault("DEBUG", "1")

from config.settings import *  # noqa: E402,F403
