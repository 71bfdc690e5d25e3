"""The verdict rules every stage shares, with their constants: written once, so that every claim judged the
same way is judged by the same numbers, and every page renders a threshold from here instead of restating it.

Six shapes of rule:

- **interval**: the interval of a measure against two thresholds: supported when it lies at or above the
  higher, not supported when it lies below the lower, mixed otherwise;
- **doubling**: the factor by which doubling the network multiplies something; supported at
  :data:`DOUBLING_MEANINGFUL` or more, not supported below :data:`DOUBLING_NONE`, mixed between;
- **difference**: the interval of a difference of two shares; supported above 0, not supported below 0 or
  inside +-:data:`EQUIVALENCE_MARGIN`, mixed otherwise;
- **slope**: the interval of a log-log slope; supported above 0, not supported at or below 0;
- **tie**: one strategy's gain beside another's; a win above ``1 + TIE_MARGIN`` times, a loss below
  ``1 - TIE_MARGIN`` times, a tie between;
- **share**: a majority's interval (most posts reached a target): supported when its low end is above 1/2,
  not supported when its high end is below.

The verdict record itself is :mod:`helpers.claims`.
"""

from __future__ import annotations

#: Doubling the network must raise a quantity by at least this factor for "more" to be supported ...
DOUBLING_MEANINGFUL = 1.10
#: ... and by less than this factor for it to be not supported.
DOUBLING_NONE = 1.02
#: A strategy wins when its gain is more than ``1 + TIE_MARGIN`` times the reference, loses below ``1 - TIE_MARGIN``.
TIE_MARGIN = 0.05
#: Two shares within this many points of each other (both ends of the interval) are equivalent.
EQUIVALENCE_MARGIN = 0.05

#: How each verdict is drawn on every page and on the index (colour-blind safe against white).
VERDICT_COLOURS = {"supported": "#15803d", "not supported": "#b91c1c", "mixed": "#b45309",
                   "not testable": "#6b7280"}


def interval(low: float, high: float, supported_from: float, not_supported_below: float) -> str:
    """The interval verdict: ``supported`` when (``low``, ``high``) lies at or above ``supported_from``,
    ``not supported`` when it lies below ``not_supported_below``, ``mixed`` otherwise.

    >>> interval(0.25, 0.31, 0.2, 0.1), interval(0.02, 0.08, 0.2, 0.1), interval(0.15, 0.25, 0.2, 0.1)
    ('supported', 'not supported', 'mixed')
    """
    return "supported" if low >= supported_from else "not supported" if high < not_supported_below else "mixed"


def doubling(low: float, high: float | None = None) -> str:
    """The doubling verdict on a factor's interval (``low``, ``high``) or, with one argument, on a value.

    >>> doubling(1.12), doubling(1.0), doubling(1.05), doubling(1.05, 1.30), doubling(1.0, 1.01)
    ('supported', 'not supported', 'mixed', 'mixed', 'not supported')
    """
    return interval(low, low if high is None else high, DOUBLING_MEANINGFUL, DOUBLING_NONE)


def doubling_rule(what: str, interval: str = "the 95% interval of ") -> str:
    """The doubling rule in words, for the factor by which doubling the network multiplies ``what``."""
    return (f"supported if {interval}the factor by which doubling the network multiplies {what} lies at or above "
            f"{DOUBLING_MEANINGFUL:.2f}; not supported if it lies below {DOUBLING_NONE:.2f}; mixed otherwise")


def difference(low: float, high: float, margin: float = EQUIVALENCE_MARGIN) -> str:
    """The difference verdict on an interval of (claimed better - other), in shares.

    >>> difference(0.01, 0.2), difference(-0.3, -0.1), difference(-0.04, 0.03), difference(-0.1, 0.2)
    ('supported', 'not supported', 'not supported', 'mixed')
    """
    if low > 0:
        return "supported"
    return "not supported" if high < 0 or (-margin <= low and high <= margin) else "mixed"


def difference_rule(of: str = "the difference", margin: float = EQUIVALENCE_MARGIN) -> str:
    """The difference rule in words."""
    return (f"supported if the 95% interval of {of} lies above 0; not supported if it lies below 0 or within "
            f"+-{margin * 100:.0f} points; mixed otherwise")


def slope(low: float, high: float) -> str:
    """The slope verdict on a slope's interval.

    >>> slope(0.1, 0.5), slope(-0.2, 0.0), slope(-0.1, 0.3)
    ('supported', 'not supported', 'mixed')
    """
    return "supported" if low > 0 else "not supported" if high <= 0 else "mixed"


def slope_rule(what: str = "the measure") -> str:
    """The slope rule in words: the slope of a line on log scales said as the factor for a doubling (``2 ** slope``),
    so that "above 0" reads "above x1".

    >>> slope_rule("unwanted conversations a month").split(": ")[1][:48]
    'supported if its 95% interval lies above x1 (the'
    """
    return (f"{what} set against network size on log scales, as the factor they change by each time the network "
            f"doubles: supported if its 95% interval lies above x1 (they grow with the network); not supported if it "
            f"lies at or below x1; mixed otherwise")


def tie(gain: float, reference: float, margin: float = TIE_MARGIN) -> str:
    """``win``, ``loss`` or ``tie`` of ``gain`` against ``reference``.

    >>> tie(1.2, 1.0), tie(0.9, 1.0), tie(1.03, 1.0)
    ('win', 'loss', 'tie')
    """
    return "win" if gain > (1 + margin) * reference else "loss" if gain < (1 - margin) * reference else "tie"


def tie_rule(gain: str, reference: str, margin: float = TIE_MARGIN) -> str:
    """The tie rule in words."""
    return (f"{gain} wins when it adds more than {1 + margin:.2f} times {reference}, loses below "
            f"{1 - margin:.2f} times, and ties in between")


def majority(low: float, high: float) -> str:
    """The majority verdict on the interval of a share.

    >>> majority(0.55, 0.8), majority(0.1, 0.45), majority(0.4, 0.6)
    ('supported', 'not supported', 'mixed')
    """
    return "supported" if low > 0.5 else "not supported" if high < 0.5 else "mixed"
