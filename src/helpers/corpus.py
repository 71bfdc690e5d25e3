"""A corpus of LinkedIn export variants, written from invented people, for the reader's tests.

Every era and damage the research found (``shared/research/linkedin-export-format.md``): the 2018
format (no preamble, no URL column, ``"1/8/18, 6:14 PM"`` stamps), 2021-22 (preamble, no URL), 2023+
(URL), Excel re-saves (comma-padded preamble, ``23-Nov-21`` dates, CRLF, cp1252), UTF-16 tab-separated
files, BOMs, ghost and duplicated rows, future dates, quotes and commas in fields, emoji, right-to-left
and CJK text, 10,000-character fields; and whole archives as zip and folder with the file names of
different years. ``python -m helpers.corpus --out DIR`` writes them; :func:`variants` yields them.
"""

from __future__ import annotations

import argparse
import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from helpers.synth import CONNECTIONS_PREAMBLE, GROWTH, Person, make_people

HEADER_2018 = ["First Name", "Last Name", "Email Address", "Company", "Position", "Connected On"]
HEADER_2023 = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
#: A few rows every variant carries on top of the generated ones, with the hard cases.
SPECIAL = (
    ("Jo", "Kight, MS", "Cacique Foods, LLC.", 'VP, "Special" Projects', date(2024, 3, 1)),
    ("\u05d3\u05e0\u05d4", "\u05dc\u05d5\u05d9", "\u05d7\u05d1\u05e8\u05d4", "\u05de\u05e0\u05d4\u05dc",
     date(2023, 6, 2)),
    ("\u6797", "\u7279\u4f8b", "\u4e2d\u570b\u9280\u884c\uff08\u9999\u6e2f\uff09\u6709\u9650\u516c\u53f8",
     "\u9ad8\u7ea7\u7ecf\u7406", date(2022, 1, 3)),
    ("Priyanka", "Nairobi \U0001F469\u200d\U0001F4BB", "Stealth", "Data Analyst | Power BI | SQL", date(2021, 9, 4)),
    ("Leonardo", "Martinez \U0001F1E7\U0001F1F7", "X" * 10_000, "Y" * 10_000, date(2020, 2, 5)),
)


@dataclass(frozen=True)
class Variant:
    """One export file or archive: its name, bytes, and what the reader must find in it."""

    name: str
    files: dict[str, bytes]
    rows: int
    ghosts: int
    has_url: bool
    as_zip: bool = False

    def write(self, folder: Path) -> Path:
        """Write it under ``folder``: a zip file, a folder of files, or a lone CSV."""
        folder.mkdir(parents=True, exist_ok=True)
        if self.as_zip:
            target = folder / f"{self.name}.zip"
            with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
                for name, data in self.files.items():
                    archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 11, 20, 0, 0, 0)), data)
            return target
        if len(self.files) == 1:
            (name, data), = self.files.items()
            target = folder / self.name / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            return target
        target = folder / self.name
        for name, data in self.files.items():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            (target / name).write_bytes(data)
        return target


def _rows(people: list[Person], with_url: bool, stamp, duplicate: int = 0, future: int = 0) -> list[list[str]]:
    rows = []
    for person in sorted(people, key=lambda p: p.connected_on, reverse=True):
        day = stamp(person.connected_on)
        if person.ghost:
            rows.append([""] * (6 if with_url else 5) + [day])
            continue
        row = [person.first, person.last] + ([person.url] if with_url else []) + \
              [person.email or "", person.company or "", person.position or "", day]
        rows.append(row)
    for first, last, company, position, day in SPECIAL:
        rows.append([first, last] + (["https://www.linkedin.com/in/special"] if with_url else []) +
                    ["", company, position, stamp(day)])
    rows += rows[:duplicate]
    for i in range(future):
        rows.insert(0, [f"Future{i}", "Person"] + ([""] if with_url else []) +
                    ["", "Initech", "Analyst", stamp(date(2027, 1, 1) + timedelta(days=i))])
    return rows


def _csv(header: list[str], rows: list[list[str]], newline="\n", delimiter=",", quote_all=False) -> str:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator=newline, delimiter=delimiter,
                        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue()[: -len(newline)]


def _us_stamp(day: date) -> str:
    return f"{day.month}/{day.day}/{day:%y}, {(day.day % 12) + 1}:{day.day:02d} {'AM' if day.day % 2 else 'PM'}"


def variants(seed: int = 7, people: int = 120) -> list[Variant]:
    """Every variant of the corpus, each built from the same invented people."""
    crowd = make_people(np.random.default_rng(seed), ((GROWTH[0][0], 0), (date(2026, 11, 15), people)))
    ghosts = sum(p.ghost for p in crowd)
    total = people + len(SPECIAL)
    modern = _rows(crowd, True, lambda d: d.strftime("%d %b %Y"))
    found = [
        Variant("era-2018", {"Connections.csv": _csv(HEADER_2018, _rows(crowd, False, _us_stamp)).encode()},
                total, ghosts, False),
        Variant("era-2021", {"Connections.csv": (CONNECTIONS_PREAMBLE + _csv(
            HEADER_2018, _rows(crowd, False, lambda d: d.strftime("%d %b %Y")))).encode()}, total, ghosts, False),
        Variant("era-2023", {"Connections.csv": (CONNECTIONS_PREAMBLE + _csv(HEADER_2023, modern)).encode()},
                total, ghosts, True),
        Variant("bom", {"Connections.csv": b"\xef\xbb\xbf" + (CONNECTIONS_PREAMBLE + _csv(HEADER_2023, modern)).encode()},
                total, ghosts, True),
        Variant("utf16-tsv", {"Connections.csv": _csv(HEADER_2023, modern, "\r\n", "\t", True).encode("utf-16")},
                total, ghosts, True),
        Variant("duplicated-and-future", {"Connections.csv": (CONNECTIONS_PREAMBLE + _csv(
            HEADER_2023, _rows(crowd, True, lambda d: d.strftime("%d %b %Y"), duplicate=7, future=3))).encode()},
                total + 10, ghosts + sum(p.ghost for p in sorted(crowd, key=lambda p: p.connected_on,
                                                                   reverse=True)[:7]), True),
    ]
    excel_preamble = 'Notes:,,,,,,\r\n"When exporting your connection data, ...",,,,,,\r\n,,,,,,\r\n'
    excel_rows = _rows(crowd, True, lambda d: f"{d.day}-{d:%b-%y}")
    excel = (excel_preamble + _csv(HEADER_2023, excel_rows, "\r\n")).encode("cp1252", errors="replace")
    found.append(Variant("excel-resave", {"Connections.csv": excel}, total, ghosts, True))
    archive_files = {
        "Connections.csv": (CONNECTIONS_PREAMBLE + _csv(HEADER_2023, modern)).encode(),
        "Messages.csv": b'From,To,Date,Subject,Content,Direction,Folder\nAna,Me,"10/16/18, 8:36 AM",Hi,Hello,INCOMING,INBOX',
        "Rich Media.csv": b"Type,Link\n",
        "Profile.csv": b"First Name,Last Name,Headline,Industry\nMe,Myself,Analyst,Software",
    }
    found.append(Variant("archive-2018-names", archive_files, total, ghosts, True, as_zip=True))
    renamed = {"connections.csv": archive_files["Connections.csv"], "messages.csv": archive_files["Messages.csv"]}
    found.append(Variant("archive-folder-lowercase", renamed, total, ghosts, True))
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="folder to write the corpus into")
    args = parser.parse_args(argv)
    for variant in variants():
        print(variant.write(args.out))


if __name__ == "__main__":
    main()
