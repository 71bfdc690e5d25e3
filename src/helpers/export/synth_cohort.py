"""A cohort of invented members of varied sizes and starting years, for the cohort report and its tests.

Each member is :func:`helpers.export.synth.write_export`'s invented member with its own seed, its network grown to
its own size (``SIZES``, about 280 to 2,800 connections: the sample's growth curve scaled) from its own first year
(``FIRST_YEARS``, the curve's dates squeezed into the years from then to the export). What the rules make, each
member's size and first year, is returned, so that a test can check that the cohort's pooled figures recover them.

``python -m helpers.export.synth_cohort --out FOLDER --members N`` (``make sample-cohort``) writes N zips.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path


from helpers.export import synth

#: Each member's size, as a factor of the sample's 702 connections, cycled (none within 4% of 500: a ghost row or
#: two cannot move a member across the line).
SIZES = (0.42, 0.6, 0.85, 1.0, 1.3, 1.8, 2.5, 4.0)
#: Each member's first year, cycled with another period than the sizes, so that every size meets every year.
FIRST_YEARS = (2008, 2011, 2014, 2016, 2018, 2020, 2022)


@dataclass(frozen=True)
class Invented:
    """What the rules gave one member: its size factor, the rows of Connections.csv (``people``: those not ghost rows)
    and the year of the first connection."""

    number: int
    factor: float
    rows: int
    people: int
    first_year: int


def member_growth(factor: float, first_year: int) -> tuple[tuple[date, int], ...]:
    """The sample's growth curve scaled to ``factor`` times its size and squeezed to start in ``first_year``."""
    start, end = synth.GROWTH[0][0], synth.GROWTH[-1][0]
    new_start = date(first_year, 3, 1)
    scale = (end - new_start).days / (end - start).days
    points = [(new_start + timedelta(days=round((day - start).days * scale)), round(count * factor))
              for day, count in synth.GROWTH]
    return tuple((day, max(count, index)) for index, (day, count) in enumerate(points))


def write_cohort(folder: Path, members: int, seed: int = 1, analytics_years: int = 3) -> list[Invented]:
    """``members`` invented members' Complete exports, as zips named by number, into ``folder`` (with the last
    ``analytics_years`` of their three years of analytics workbooks)."""
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for number in range(members):
        factor, first_year = SIZES[number % len(SIZES)], FIRST_YEARS[number % len(FIRST_YEARS)]
        growth = member_growth(factor, first_year)
        member = folder / f"member-{number:04d}"
        written = synth.write_export(member, seed=seed * 100_003 + number, growth=growth,
                                     invitations_from=date(2026, 5, 20), analytics_years=analytics_years)
        synth.zip_export(member, folder / f"member-{number:04d}.zip")
        for name in written:
            (member / name).unlink()
        member.rmdir()
        lines = written["Connections.csv"].decode("utf-8").split("\n")
        header = next(i for i, line in enumerate(lines) if line.startswith("First Name"))
        people = sum(1 for line in lines[header + 1:] if not line.startswith(","))
        made.append(Invented(number, factor, growth[-1][1], people, first_year))
    return made


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m helpers.export.synth_cohort", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="folder to write the members' zips into")
    parser.add_argument("--members", type=int, default=40, help="how many members")
    parser.add_argument("--seed", type=int, default=1, help="random seed")
    args = parser.parse_args(argv)
    made = write_cohort(args.out, args.members, args.seed)
    print(f"Wrote {len(made)} invented members' exports to {args.out} "
          f"({min(m.rows for m in made):,} to {max(m.rows for m in made):,} connections)")


if __name__ == "__main__":
    main()
