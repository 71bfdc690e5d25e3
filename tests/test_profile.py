"""The network itself (helpers.evidence.profile): job functions in any accent, seniority, ghost rows, employers."""

from __future__ import annotations

from datetime import date

import polars as pl

from helpers.evidence import profile


def test_job_titles_match_with_or_without_accents():
    titles = pl.DataFrame({"title": ["Ingénieur logiciel", "Ingenieur logiciel", "Diseñadora", "Disenadora",
                                     "Geschäftsführerin", "Geschaftsfuhrerin", "INGENIERO DE SOFTWARE"]})
    got = titles.select(profile.job_function(pl.col("title")).alias("f"))["f"].to_list()
    assert got == ["Engineering", "Engineering", "Design", "Design", "Founders & executives",
                   "Founders & executives", "Engineering"]
    levels = titles.select(profile.seniority(pl.col("title")).alias("s"))["s"].to_list()
    assert levels[4:6] == ["Director or head", "Director or head"]


def test_seniority_and_ghost_rows_by_year_count_the_identified_connections():
    connections = pl.DataFrame({
        "position": ["Senior Engineer", "Senior Analyst", "Intern", None],
        "company": ["Initech", "Self-employed", None, None],
        "connected_on": [date(2020, 1, 1), date(2020, 5, 1), date(2021, 1, 1), date(2021, 2, 1)],
        "is_ghost": [False, False, False, True],
    })
    levels = profile.seniority_mix(connections)
    assert levels.row(0) == ("Senior", 2, 2 / 3) and levels["connections"].sum() == 3
    assert profile.ghosts_by_year(connections).rows() == [(2020, 2, 0, 0.0), (2021, 2, 1, 0.5)]
    assert profile.company_gaps(connections) == (1, 1)  # one placeholder; the ghost's blank does not count
    keys = connections.select(profile.employer_key(pl.col("company")).alias("key"))["key"].to_list()
    assert keys == ["initech", None, None, None]
