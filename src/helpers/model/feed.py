"""The feed model's command line: ``python -m helpers.model.feed``.

``--connections N`` prints what the feed of a LinkedIn member of that size with a typical make-up is made of
(``helpers.model.feed_simulation``), its last line one JSON object (``seen_per_day``, ``candidates_per_day``,
``share_seen`` by kind of card, ...); ``--validate`` (``make validate-feed``) sets the model beside the captured feed
cards and the published figures (``helpers.model.feed_validation``) and exits 1 when a target fails.
"""

from __future__ import annotations

import sys

from helpers.evidence.member import read_member
from helpers.model import command_line
from helpers.model.feed_simulation import SHARE_KEYS, FeedParams, average_feed, member_composition, typical_composition
from helpers.model.feed_validation import print_validation, reference_feeds, validation
from helpers.paths import SAMPLE_EXPORT


def typical_feed(connections: int, *, seed: int, days: int, members: int) -> dict:
    """What the command prints for a member of ``connections`` with a typical make-up."""
    found = average_feed(typical_composition(connections), FeedParams.from_assumptions(), days=days, seed=seed,
                         members=members)
    return {
        "connections": connections, "seed": seed, "days": days, "members": members,
        "seen_per_day": found["seen_per_day"], "candidates_per_day": found["candidates_per_day"],
        "connection_posts_per_day": found["connection_posts_per_day"],
        "suggested_candidates_per_day": found["suggested_candidates_per_day"],
        "share_seen": {key: found[f"share_{key}"] for key in SHARE_KEYS},
        "share_out_of_network": found["share_out_of_network"], "noise_share": found["noise_share"],
        "valuable_seen_per_day": found["valuable_seen"], "articles_seen_per_day": found["articles_seen"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = command_line.member_parser("python -m helpers.model.feed",
                                        "What a LinkedIn member's feed is made of, by network size.")
    mode = parser.add_mutually_exclusive_group(required=True)
    command_line.add_connections(mode, required=False)
    mode.add_argument("--validate", action="store_true",
                      help="set the model beside the captured feed cards and the published figures (pass/fail)")
    parser.add_argument("--days", type=int, default=2_000, help="days simulated per member")
    parser.add_argument("--members", type=int, default=8, help="simulated members averaged (who posts varies)")
    args = parser.parse_args(argv)
    if args.days < 1 or args.members < 1:
        parser.error("--days and --members must be at least 1")
    if args.validate:
        feeds = reference_feeds(member_composition(read_member(SAMPLE_EXPORT)), seed=args.seed, days=args.days,
                                members=args.members, member_label="the sample export's member")
        return 0 if print_validation(validation(feeds)) else 1
    command_line.check_connections(parser, args.connections)
    found = typical_feed(args.connections, seed=args.seed, days=args.days, members=args.members)
    share = found["share_seen"]
    return command_line.print_answer(
        f"A member with {args.connections:,} connections (typical make-up) sees {found['seen_per_day']:.1f} cards "
        f"a day of {found['candidates_per_day']:,.0f} candidate posts ({found['connection_posts_per_day']:,.1f} by "
        f"connections): connections' posts {share['first_degree']:.0%}, followed {share['followed']:.0%}, surfaced "
        f"by connections' activity {share['activity']:.0%} (by people outside the network "
        f"{share['activity_out_of_network']:.0%}), suggested {share['suggested']:.1%}, promoted "
        f"{share['promoted']:.0%}, modules {share['modules']:.0%}.", found)


if __name__ == "__main__":
    sys.exit(main())
