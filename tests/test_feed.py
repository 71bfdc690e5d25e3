"""``python -m helpers.model.feed``: a typical member's feed, reproducible by seed, and the model beside the
captured cards (``--validate``)."""

from __future__ import annotations

import json

import pytest

from helpers.model import feed, feed_simulation


def run_cli(capsys, *argv: str) -> tuple[int, list[str]]:
    code = feed.main(list(argv))
    return code, capsys.readouterr().out.strip().splitlines()


def test_cli_prints_one_json_object_whose_disjoint_kinds_sum_to_one(capsys):
    code, lines = run_cli(capsys, "--connections", "800", "--seed", "3", "--days", "300", "--members", "2")
    found = json.loads(lines[-1])
    assert code == 0 and found["connections"] == 800
    assert {"seen_per_day", "candidates_per_day", "connection_posts_per_day"} <= set(found)
    share = found["share_seen"]
    assert set(share) == {"first_degree", "followed", "activity", "activity_out_of_network", "suggested", "promoted",
                          "modules"}
    assert sum(share[kind] for kind in feed_simulation.KINDS) == pytest.approx(1.0, abs=1e-12)
    # out-of-network surfaced posts are a part of the surfaced posts, not a slice of their own
    assert 0 < share["activity_out_of_network"] < share["activity"]
    assert found["share_out_of_network"] == pytest.approx(share["activity_out_of_network"] + share["suggested"])
    assert "800 connections" in lines[0]


def test_cli_is_reproducible_by_seed_byte_for_byte(capsys):
    argv = ("--connections", "300", "--seed", "11", "--days", "200", "--members", "2")
    assert run_cli(capsys, *argv)[1][-1] == run_cli(capsys, *argv)[1][-1]
    assert run_cli(capsys, *argv[:3], "12", *argv[4:])[1][-1] != run_cli(capsys, *argv)[1][-1]


def test_cli_refuses_sizes_linkedin_does_not_allow(capsys):
    for size in ("0", "30001"):
        with pytest.raises(SystemExit) as stop:
            feed.main(["--connections", size])
        assert stop.value.code == 2 and "between 1 and 30,000" in capsys.readouterr().err


def test_the_model_beside_the_captures_passes_every_target_at_its_defaults(capsys):
    code, lines = run_cli(capsys, "--validate")
    targets = [line for line in lines if line.startswith(("PASS", "FAIL"))]
    assert code == 0 and lines[-1] == f"{len(targets)} of {len(targets)} targets pass" and len(targets) == 20
    assert any("at 5,000 connections: connections' posts a day" in line for line in targets)
    assert sum("share of cards" in line for line in targets) == 2 * (len(feed_simulation.SHARE_KEYS) + 1)
