"""``python -m helpers.report``: render the HTML report of an export (see :mod:`helpers.report.render`)."""

from helpers.report.render import main

raise SystemExit(main())
