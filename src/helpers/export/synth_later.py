"""The invented member months later: the second export of a pair, made from known rules.

The experiment run forward (``make report EXPORT=later BEFORE=earlier``) needs two exports of one member made
months apart. :func:`write_later` writes the later one of the member :func:`helpers.export.synth.write_export`
invents: the same connections, a few of them removed, new ones made day by day, invitations sent in between (some
with a note) of which some were accepted, and posts with their impressions in an analytics workbook, every one of
them drawn from :class:`LaterRules`. It returns the :class:`Truth`, what happened, so that a test can check that a
report reads each outcome right and that intervals drawn from the rules themselves cover as often as they say.

``python -m helpers.export.synth_later --earlier data/sample --out LATER`` writes the sample's member 150 days on.
"""

from __future__ import annotations

import argparse
import shutil
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

import numpy as np

from helpers.export import synth, synth_workbooks

#: The day the invented member's earlier export was made (its last connection, invitation and workbook day).
EARLIER_DATE = synth.GROWTH[-1][0]
#: The files of the earlier export the later one writes anew; every other file is copied as it is.
REWRITTEN = ("Connections.csv", "Invitations.csv", "Shares.csv")


@dataclass(frozen=True)
class LaterRules:
    """What happens between the two exports, per day (the invented rules the truth follows)."""

    days: int = 150
    new_per_day: float = 0.25  # connections made a day, besides the invitations accepted (the sample's pace: 0.4)
    removed_share: float = 0.01  # each earlier connection gone (removed, or the account closed) by the later export
    invitations_per_day: float = 0.6  # invitations the member sends a day
    note_share: float = 0.4  # of them, with a note
    accept_with_note: float = 0.55
    accept_without_note: float = 0.35
    posts_per_day: float = 0.1
    views_at_500: float = synth.SAMPLE_VIEWS_AT_500  # a post's median impressions at 500 connections
    elasticity: float = synth.SAMPLE_ELASTICITY
    post_sd: float = synth.SAMPLE_POST_SD  # post-to-post spread of the log impressions

    def median_views(self, size: int) -> float:
        return self.views_at_500 * (max(size, 1) / 500) ** self.elasticity


@dataclass(frozen=True)
class Truth:
    """What happened between the two exports."""

    earlier_date: date
    later_date: date
    earlier_rows: int
    removed: int
    added: int
    #: Each row of the later Connections.csv, by the day it was made.
    connected_on: tuple[date, ...]
    #: (accepted, sent) of the invitations sent in between, ``with_note`` and ``without_note``.
    invitations: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: (day, rows of Connections.csv that day, impressions) of each post made in between.
    posts: tuple[tuple[date, int, int], ...] = ()

    def connections_on(self, day: date) -> int:
        """Rows of the later Connections.csv made on or before ``day``."""
        return sum(1 for made in self.connected_on if made <= day)


def _newcomer(index: int, seed: int, day: date) -> synth.Person:
    first = synth.FIRST_NAMES[index % len(synth.FIRST_NAMES)]
    last = synth.LAST_NAMES[(index * 7) % len(synth.LAST_NAMES)]
    slug = f"{first}-{last}-{seed:x}{index:04x}".lower().encode("ascii", "ignore").decode()
    return synth.Person(first, last, slug, synth.OTHER_COMPANIES[index % len(synth.OTHER_COMPANIES)], "Engineer", day)


@lru_cache(maxsize=4)
def _earlier_people(seed: int) -> tuple[synth.Person, ...]:
    return tuple(synth.make_people(np.random.default_rng(seed)))  # as write_export draws them first


def write_later(earlier: Path, out: Path, seed: int, rules: LaterRules = LaterRules(), *,
                earlier_seed: int = synth.SAMPLE_SEED, posts: bool = True, others: bool = True) -> Truth:
    """Write into ``out`` the export of the member of ``earlier`` (written by ``write_export(earlier, earlier_seed)``)
    ``rules.days`` days later, the events drawn from ``seed``. ``posts=False`` leaves the posts and the workbook out,
    ``others=False`` the files that do not change (messages, profile...). ``earlier`` is only read."""
    rng = np.random.default_rng(seed)
    people = _earlier_people(earlier_seed)
    kept = [p for p, gone in zip(people, rng.random(len(people)) < rules.removed_share) if not gone]
    later = EARLIER_DATE + timedelta(days=rules.days)
    new, outgoing, counts = [], [], {"with_note": [0, 0], "without_note": [0, 0]}
    for offset in range(1, rules.days + 1):
        day = EARLIER_DATE + timedelta(days=offset)
        new += [_newcomer(len(new), seed, day) for _ in range(int(rng.poisson(rules.new_per_day)))]
        for _ in range(int(rng.poisson(rules.invitations_per_day))):
            note = bool(rng.random() < rules.note_share)
            accepted = bool(rng.random() < (rules.accept_with_note if note else rules.accept_without_note))
            counts["with_note" if note else "without_note"][0] += accepted
            counts["with_note" if note else "without_note"][1] += 1
            connected = min(later, day + timedelta(days=int(rng.integers(0, 3))))  # if accepted: 0-2 days on
            invitee = _newcomer(100_000 + len(outgoing), seed, connected)
            if accepted:
                new.append(invitee)
            else:  # never a connection: another slug, so that it cannot match one
                invitee = synth.Person(invitee.first, invitee.last, f"{invitee.slug}-pending", None, None, day)
            outgoing.append((day, note, invitee))
    new.append(_newcomer(len(new), seed, later))  # the last connection, on the day of the export
    rows = kept + new
    dated = sorted(p.connected_on for p in rows)
    joined = np.array([d.toordinal() for d in dated])
    made = []
    if posts:
        for offset in range(1, rules.days + 1):
            day = EARLIER_DATE + timedelta(days=offset)
            for _ in range(int(rng.poisson(rules.posts_per_day))):
                size = int(np.searchsorted(joined, day.toordinal(), side="right"))
                views = int(max(1, round(rules.median_views(size) * float(np.exp(rng.normal(0, rules.post_sd))))))
                made.append((day, size, views))
    _write(earlier, out, rows, outgoing, made, later, rng, others)
    return Truth(EARLIER_DATE, later, len(people), len(people) - len(kept), len(new), tuple(dated),
                 {key: (hits, sent) for key, (hits, sent) in counts.items()}, tuple(made))


def _write(earlier: Path, out: Path, rows: list[synth.Person], outgoing: list, made: list, later: date,
           rng: np.random.Generator, others: bool) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for item in earlier.iterdir() if others else ():
        if item.is_file() and item.name not in REWRITTEN and item.suffix != ".xlsx":
            shutil.copyfile(item, out / item.name)
    (out / "Connections.csv").write_text(synth.connections_csv(rows), encoding="utf-8")
    member = " ".join(synth.MEMBER)
    sent = [[member, p.full_name, synth.stamp(datetime(day.year, day.month, day.day, 10, 30)),
             "Hello, I enjoyed your talk: glad to connect." if note else "", "OUTGOING", synth.MEMBER_URL, p.url]
            for day, note, p in reversed(outgoing)]
    header, *before = (earlier / "Invitations.csv").read_text(encoding="utf-8").split("\n")
    new_rows = synth.csv_text(header.split(","), sent).split("\n")[1:]
    (out / "Invitations.csv").write_text("\n".join([header, *new_rows, *before]), encoding="utf-8")
    if not made:
        return
    posts = [synth_workbooks.Post(datetime(day.year, day.month, day.day, 9, 0), 7_200_000_000_000_000_000 + i * 7919,
                                  views, int(views * 0.7), int(views * 0.03)) for i, (day, _, views) in enumerate(made)]
    (out / "Shares.csv").write_bytes(synth.shares_csv(posts).encode("utf-8"))
    start = EARLIER_DATE + timedelta(days=1)
    followers = {start + timedelta(days=i): 0 for i in range((later - start).days + 1)}
    (out / f"Content_{start}_{later}_{' '.join(synth.MEMBER)}.xlsx").write_bytes(
        synth_workbooks.aggregate_workbook(posts, start, later, followers, len(rows) + 40, False, rng))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m helpers.export.synth_later", description=__doc__.split("\n")[0])
    parser.add_argument("--earlier", type=Path, required=True,
                        help="the earlier export (written by helpers.export.synth)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the later export into")
    parser.add_argument("--seed", type=int, default=1, help="random seed of what happens in between")
    parser.add_argument("--earlier-seed", type=int, default=synth.SAMPLE_SEED, help="the earlier export's seed")
    parser.add_argument("--days", type=int, default=LaterRules.days, help="days between the two exports")
    args = parser.parse_args(argv)
    truth = write_later(args.earlier, args.out, args.seed, LaterRules(days=args.days), earlier_seed=args.earlier_seed)
    sent = sum(n for _, n in truth.invitations.values())
    print(f"Wrote {args.out}: {truth.later_date}, {len(truth.connected_on)} connections ({truth.added} new, "
          f"{truth.removed} gone), {sent} invitations, {len(truth.posts)} posts")


if __name__ == "__main__":
    main()
