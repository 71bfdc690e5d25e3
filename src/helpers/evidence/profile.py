"""What the connections file itself shows: size, growth, the day "500+" appeared, who is in it.

Everything here is a polars expression or a function from frame to frame; no row loops.
A cumulative curve from ``connected_on`` counts only connections that still exist: removed
connections vanish from the export, so past sizes are lower bounds (survivor bias).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache

import polars as pl

from helpers.paths import DATA_DIR

#: LinkedIn profiles show the exact count up to 500, then "500+".
DISPLAY_CAP = 500
#: LinkedIn's documented limit on first-degree connections.
CONNECTION_CAP = 30_000
#: How many employers a ranking shows.
TOP_COMPANIES = 15
#: Legal-form words dropped when comparing company names.
LEGAL_SUFFIXES = (
    "inc", "incorporated", "ltd", "limited", "llc", "llp", "gmbh", "ag", "se", "sa", "sas", "sarl", "srl",
    "spa", "bv", "nv", "ab", "as", "oy", "plc", "corp", "corporation", "co", "company", "kg", "pty", "pvt",
    "group", "holding", "holdings",
)


def larger_network(current: int) -> int:
    """The size a network is compared with when asking 'what if it were bigger': twice its size, but
    never past LinkedIn's cap (so equal to ``current`` at the cap).

    >>> larger_network(700), larger_network(20_000), larger_network(30_000)
    (1400, 30000, 30000)
    """
    return min(2 * current, CONNECTION_CAP)


def next_milestone(current: int) -> int:
    """The size the blogger's experiment is about: 500 ("500+") for a smaller network, else half as large again
    (+50%), never past LinkedIn's cap.

    >>> next_milestone(320), next_milestone(702), next_milestone(25_000)
    (500, 1053, 30000)
    """
    return DISPLAY_CAP if current < DISPLAY_CAP else min(-(-current * 3 // 2), CONNECTION_CAP)


def growth_targets(current: int) -> list[int]:
    """The next two milestones to grow towards from ``current`` among 500, 1,000, 5,000 and LinkedIn's cap
    (two, so that one growth step can be compared with the next; one near the cap, none at it).

    >>> growth_targets(690), growth_targets(2_000), growth_targets(12_000), growth_targets(30_000)
    ([1000, 5000], [5000, 30000], [30000], [])
    """
    return [t for t in (500, 1000, 5000, CONNECTION_CAP) if t > current][:2]


@dataclass(frozen=True)
class NetworkSize:
    total: int
    ghosts: int
    first_connected_on: date | None
    last_connected_on: date | None

    @property
    def identified(self) -> int:
        return self.total - self.ghosts

    @property
    def ghost_share(self) -> float:
        return self.ghosts / self.total if self.total else 0.0


def network_size(connections: pl.DataFrame) -> NetworkSize:
    """Count connections (ghost rows included: they still count on LinkedIn) and the date span."""
    row = connections.select(
        pl.len().alias("total"),
        pl.col("is_ghost").sum().alias("ghosts"),
        pl.col("connected_on").min().alias("first"),
        pl.col("connected_on").max().alias("last"),
    ).row(0, named=True)
    return NetworkSize(row["total"], int(row["ghosts"] or 0), row["first"], row["last"])


def growth(connections: pl.DataFrame, every: str = "1mo") -> pl.DataFrame:
    """Connections added per period and the running total, one row per period with no gaps.

    >>> import polars as pl
    >>> from datetime import date
    >>> c = pl.DataFrame({"connected_on": [date(2020, 1, 5), date(2020, 3, 1), date(2020, 3, 9)]})
    >>> growth(c)["cumulative"].to_list()
    [1, 1, 3]
    """
    if connections.is_empty():
        return pl.DataFrame(schema={"period": pl.Date, "added": pl.UInt32, "cumulative": pl.UInt32})
    counted = (
        connections.lazy()
        .select(pl.col("connected_on").dt.truncate(every).alias("period"))
        .group_by("period").agg(pl.len().alias("added"))
    )
    bounds = connections.select(pl.col("connected_on").dt.truncate(every).min().alias("lo"),
                                pl.col("connected_on").dt.truncate(every).max().alias("hi")).row(0)
    periods = pl.LazyFrame({"period": pl.date_range(bounds[0], bounds[1], every, eager=True)})
    return (
        periods.join(counted, on="period", how="left")
        .sort("period")
        .with_columns(pl.col("added").fill_null(0).cast(pl.UInt32))
        .with_columns(pl.col("added").cum_sum().alias("cumulative"))
        .collect()
    )


def size_on(connections: pl.DataFrame, days: pl.Series) -> pl.Series:
    """Network size (surviving connections) on each of ``days``: connections made on or before it."""
    joined = connections.get_column("connected_on").drop_nulls().sort()
    return joined.search_sorted(days, side="right").alias("network_size")


def crossed_on(connections: pl.DataFrame, threshold: int = DISPLAY_CAP) -> date | None:
    """The first day the network had more than ``threshold`` connections (when "500+" appeared).

    Only surviving connections are counted, so the true day may have been earlier.
    """
    days = connections.get_column("connected_on").drop_nulls().sort()
    return days[threshold] if days.len() > threshold else None


def company_key(company: pl.Expr) -> pl.Expr:
    """A comparison key for employer names: case, punctuation, accents-insensitive spacing and legal
    forms dropped ("Fabrikam, Inc." and "FABRIKAM" meet), null for empty names."""
    suffixes = "|".join(LEGAL_SUFFIXES)
    key = (
        company.str.to_lowercase()
        .str.replace_all(r"[.,;:!?'\"()\[\]{}|/\\&+@#*_-]", " ")
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
    )
    for _ in range(2):  # "Globex Holding GmbH" carries two
        key = key.str.replace(rf"\s+({suffixes})$", "").str.strip_chars()
    return pl.when(key.str.len_chars() > 0).then(key)


@cache
def _placeholders() -> frozenset[str]:
    table = pl.read_csv(DATA_DIR / "company_placeholders.csv", infer_schema=False)
    return frozenset(table.get_column("placeholder").str.to_lowercase().str.strip_chars().to_list())


def is_placeholder(company: pl.Expr) -> pl.Expr:
    """True for names like 'Self-employed', 'Freelance', 'Stealth' that name no employer."""
    return company.str.to_lowercase().str.strip_chars().is_in(list(_placeholders()))


def employer_key(company: pl.Expr) -> pl.Expr:
    """The :func:`company_key` of a connection's employer, null for a placeholder that names none."""
    return pl.when(is_placeholder(company)).then(None).otherwise(company_key(company))


def company_gaps(connections: pl.DataFrame) -> tuple[int, int]:
    """(connections naming a placeholder instead of an employer, identified connections leaving it blank)."""
    row = connections.select(is_placeholder(pl.col("company")).sum().alias("placeholder"),
                             (pl.col("company").is_null() & ~pl.col("is_ghost")).sum().alias("blank")).row(0)
    return int(row[0]), int(row[1])


def top_companies(connections: pl.DataFrame, n: int = TOP_COMPANIES) -> pl.DataFrame:
    """The ``n`` employers with most connections, spellings merged, placeholders left out.

    Columns: ``company`` (the most common spelling), ``connections``, ``share`` (of all rows).
    """
    total = connections.height
    return (
        connections.lazy()
        .filter(pl.col("company").is_not_null() & ~is_placeholder(pl.col("company")))
        .with_columns(company_key(pl.col("company")).alias("key"))
        .group_by("key")
        .agg(pl.col("company").mode().sort().first().alias("company"), pl.len().alias("connections"))
        .sort(["connections", "company"], descending=[True, False])
        .head(n)
        .with_columns((pl.col("connections") / total).alias("share"))
        .select("company", "connections", "share")
        .collect()
    )


@cache
def title_rules() -> pl.DataFrame:
    """The title -> function/seniority rules of ``data/job_functions.csv``, in file order."""
    return pl.read_csv(DATA_DIR / "job_functions.csv", infer_schema=False)


def fold_accents(text: str) -> str:
    """``text`` without accents (NFKD, combining marks dropped), as :func:`folded` does to a column.

    >>> fold_accents("Diseñadora gráfica, Geschäftsführerin")
    'Disenadora grafica, Geschaftsfuhrerin'
    """
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def folded(text: pl.Expr) -> pl.Expr:
    """A text column without accents, so 'Ingénieur' meets the rule written 'ingenieur' and the reverse."""
    return text.str.normalize("NFKD").str.replace_all(r"\p{M}", "")


def _classify(title: pl.Expr, kind: str, default: str) -> pl.Expr:
    rules = title_rules().filter(pl.col("kind") == kind)
    expression = None
    plain = folded(title)
    for label, pattern in rules.select("label", "pattern").iter_rows():
        matched = plain.str.contains(f"(?i){fold_accents(pattern)}")
        expression = pl.when(matched).then(pl.lit(label)) if expression is None else \
            expression.when(matched).then(pl.lit(label))
    unknown = pl.when(title.is_null()).then(pl.lit("Unknown (no title)"))
    return unknown.otherwise(expression.otherwise(pl.lit(default)) if expression is not None else pl.lit(default))


def job_function(title: pl.Expr) -> pl.Expr:
    """The job function of a title by the first matching rule of ``data/job_functions.csv``; titles and
    rules are compared without case and accents, in English, Spanish, Portuguese, French, German,
    Dutch and Italian."""
    return _classify(title, "function", "Other")


def seniority(title: pl.Expr) -> pl.Expr:
    """The seniority of a title by the first matching rule; plain titles count as 'Individual contributor'."""
    return _classify(title, "seniority", "Individual contributor")


def function_mix(connections: pl.DataFrame) -> pl.DataFrame:
    """Connections per job function, largest first, with shares of the identified connections."""
    return _title_mix(connections, job_function(pl.col("position")).alias("function"), ["connections", "function"])


def seniority_mix(connections: pl.DataFrame) -> pl.DataFrame:
    """Connections per seniority, largest first, with shares of the identified connections."""
    return _title_mix(connections, seniority(pl.col("position")).alias("seniority"), "connections")


def _title_mix(connections: pl.DataFrame, label: pl.Expr, order: str | list[str]) -> pl.DataFrame:
    identified = connections.filter(~pl.col("is_ghost"))
    descending = [True, False] if isinstance(order, list) else True
    return (
        identified.lazy()
        .group_by(label)
        .agg(pl.len().alias("connections"))
        .with_columns((pl.col("connections") / identified.height).alias("share"))
        .sort(order, descending=descending)
        .collect()
    )


def ghosts_by_year(connections: pl.DataFrame) -> pl.DataFrame:
    """Per year connected: ``connections``, ``ghost_rows`` and ``ghost_share``."""
    return (
        connections.group_by(pl.col("connected_on").dt.year().alias("year"))
        .agg(pl.len().alias("connections"), pl.col("is_ghost").sum().alias("ghost_rows"))
        .with_columns((pl.col("ghost_rows") / pl.col("connections")).alias("ghost_share"))
        .sort("year")
    )
