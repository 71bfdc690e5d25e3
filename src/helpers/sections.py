"""The report's sections, once: each notebook's file stem, title, how the claims ledger names it, and
which tables of the export it reads. The reader's "what was read" table, the ledger's links and the
index page all read this list; a test holds it to the notebooks in ``notebooks/``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    """One page of the report.

    ``part`` is the name of its half when a claim is judged in two sections (your own posts and the
    model; the reach and the feed halves), empty otherwise, and ``key`` that half's short name on the
    pages (``data-part``). ``reads`` are the tables of the export it uses beyond Connections.csv, which
    every section reads. ``about`` says whom its verdicts are about: the member, from their own data, or
    members like them, from a model.
    """

    stem: str
    title: str
    name: str
    part: str = ""
    key: str = ""
    reads: tuple[str, ...] = ()
    about: str = "you"

    @property
    def number(self) -> str:
        return self.stem.split("-", 1)[0]

    @property
    def label(self) -> str:
        """How the ledger links the section: its part's name when it has one."""
        return self.part or self.name

    @property
    def page(self) -> str:
        return f"{self.stem}.html"


#: Whom a model section's verdicts are about.
MODELLED = "members like you"

SECTIONS: tuple[Section, ...] = (
    Section("01-your-network", "Your network: how big it is, how it grew, and who is in it", "your network"),
    Section("02-colleagues", "Are your connections mostly colleagues?", "colleagues", reads=("positions",)),
    Section("03-invitations", "Do personal notes and sending fewer invitations get more acceptances?",
            "invitations", reads=("invitations",)),
    Section("04-inner-circle", "Do you only talk to a small inner circle?", "inner circle", reads=("messages",)),
    Section("05-your-posts", "Did your own posts reach more people as your network grew?", "your posts",
            part="your own posts", key="data", reads=("analytics",)),
    Section("06-your-reach", "How far does your network reach? Your 2nd and 3rd degree", "your reach",
            part="reach", key="reach", reads=("positions",), about=MODELLED),
    Section("07-who-sees-your-posts", 'Who sees your posts? Audience, and the "1,000 views at 500+" claim',
            "who sees your posts", part="model", key="model", reads=("analytics",), about=MODELLED),
    Section("08-your-feed", "What does a bigger network do to your feed?", "your feed", part="feed", key="feed",
            reads=("positions",), about=MODELLED),
)
BY_STEM = {section.stem: section for section in SECTIONS}

#: What the export's other files are for, though no section's figures read them: the archive's type
#: (Complete when the activity files are there) and the member's own profile.
OTHER_USES = {"profile": "your profile", "shares": "your activity", "comments": "your activity",
              "reactions": "your activity"}


def section(stem: str) -> Section:
    """The section of a notebook stem; KeyError naming the known ones otherwise."""
    try:
        return BY_STEM[stem]
    except KeyError:
        raise KeyError(f"no section {stem!r}; the sections are {', '.join(BY_STEM)}") from None


def used_for(table: str) -> str:
    """What a table of the export is used for, as the report's "what was read" table says it.

    >>> used_for("connections"), used_for("invitations"), used_for("positions")
    ('every page', 'invitations (03)', 'colleagues (02), your reach (06), your feed (08)')
    """
    if table == "connections":
        return "every page"
    readers = [f"{s.name} ({s.number})" for s in SECTIONS if table in s.reads]
    return ", ".join(readers) or OTHER_USES.get(table, "")
