"""The member summary the models take: what it reads from the export, the stand-ins it names where the export
cannot say, and that no model reads the export itself."""

from __future__ import annotations

import ast
import shutil

import numpy as np
import polars as pl
import pytest

from helpers.evidence import colleagues, posts
from helpers.evidence.member import EMPLOYER_STAND_IN, FUNCTION_STAND_IN, member_summary, read_member
from helpers.export import load_export
from helpers.paths import PROJECT_ROOT, SAMPLE_EXPORT


@pytest.fixture(scope="module")
def sample():
    return load_export(SAMPLE_EXPORT)


def test_the_summary_holds_every_identified_connection_with_its_groups(sample):
    member = member_summary(sample)
    identified = sample.connections.filter(~pl.col("is_ghost"))
    assert member.connections == identified.height == member.functions.size
    assert member.companies.min() >= -1 and member.functions.max() < len(member.function_names)
    # the same employer (spellings merged) gets the same code, and placeholders none
    assert np.unique(member.companies[member.companies >= 0]).size < member.connections
    assert member.stand_ins == ()
    assert member.reference_date == colleagues.reference_date(sample)


def test_the_shares_are_the_evidence_stages_own(sample):
    member = member_summary(sample)
    flags = colleagues.colleague_flags(sample.connections, sample.positions, colleagues.reference_date(sample))
    assert member.colleague_share == pytest.approx(colleagues.colleague_share(flags).share)
    own = member.function_names[member.own_function]
    assert own == colleagues.member_function(sample.positions)
    assert member.same_function_share == pytest.approx(float((member.functions == member.own_function).mean()))
    # the member's current employer is among the connections' employers: colleagues work there
    assert (member.companies == member.own_company).sum() > 0


def test_without_positions_the_most_common_employer_stands_in_and_is_named(tmp_path):
    shutil.copy(SAMPLE_EXPORT / "Connections.csv", tmp_path / "Connections.csv")
    member = read_member(tmp_path / "Connections.csv")
    counts = np.bincount(member.companies[member.companies >= 0])
    assert member.own_company == int(counts.argmax())
    assert member.colleague_share == pytest.approx(counts.max() / member.connections)
    # nor is the member's own job function known: one function's share of them all stands in
    assert member.own_function == -1 and member.same_function_share == pytest.approx(1 / len(member.function_names))
    assert member.stand_ins == (EMPLOYER_STAND_IN, FUNCTION_STAND_IN)
    assert "Positions.csv" in EMPLOYER_STAND_IN
    # nor are the member's own posts: the audience model has none to read
    assert member.own_posts is None and member.share_days is None


def test_the_summary_holds_the_members_own_posts_for_the_audience_model(sample):
    member = member_summary(sample)
    workbooks = sample.analytics
    assert member.own_posts.height == posts.posts_with_network_size(workbooks.posts, sample.connections).height > 0
    assert {"network_size", "followers", "impressions", "url"} <= set(member.own_posts.columns)
    assert member.analytics_periods.equals(workbooks.windows) and member.top_posts.equals(workbooks.listings)
    assert member.share_days.len() == sample.shares["shared_at"].drop_nulls().len()


def test_no_model_reads_the_export_itself():
    model = PROJECT_ROOT / "src" / "helpers" / "model"
    readers = []
    for path in sorted(model.glob("*.py")):
        tree = ast.parse(path.read_text())
        imported = [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
        imported += [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
        if any(name == "helpers.export" or name.startswith("helpers.export.") for name in imported):
            readers.append(path.name)
    assert not readers, f"{readers} import helpers.export: models take helpers.evidence.member.Member"


def test_a_share_resting_on_a_stand_in_says_it_is_assumed(tmp_path, sample):
    from helpers.evidence.member import ASSUMED_EMPLOYER, ASSUMED_FUNCTION

    assert member_summary(sample).colleague_caveat == "" and member_summary(sample).read_from_export
    shutil.copy(SAMPLE_EXPORT / "Connections.csv", tmp_path / "Connections.csv")
    member = read_member(tmp_path / "Connections.csv")
    assert not member.read_from_export
    assert member.colleague_caveat == f" ({ASSUMED_EMPLOYER})" and member.function_caveat == f" ({ASSUMED_FUNCTION})"
    assert ASSUMED_EMPLOYER.startswith("assumed: the most common employer among your connections")
