"""The forms LinkedIn writes ``Connections.csv`` in, byte for byte: the ``Notes:`` preamble and the header of
each era (``shared/research/linkedin-export-format.md``). The sample (:mod:`helpers.export.synth`) and the
reader's tests write them from here; the reader accepts these and the drifts real files show.
"""

from __future__ import annotations

#: The three lines before the header in exports since 2021 (the last one empty).
CONNECTIONS_PREAMBLE = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses are missing. '
    "You will only see email addresses for connections who have allowed their connections to see or download "
    "their email address using this setting https://www.linkedin.com/psettings/privacy/email. "
    'You can learn more here https://www.linkedin.com/help/linkedin/answer/261"\n'
    "\n"
)
#: The header since 2023: the profile address (``URL``) after the name.
CONNECTIONS_HEADER = ("First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On")
#: The header of 2018-2022 exports: no profile address.
CONNECTIONS_HEADER_2018 = tuple(column for column in CONNECTIONS_HEADER if column != "URL")
