"""The check evaluator: safe, unit-aware, and never raising anything but CheckError."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.core.numeric import CheckError, check_claim, evaluate, value_problem

HNSW = {"n": 1_000_000, "d": 768, "fb": "4 byte", "M": 32, "ib": "4 byte"}


def test_hnsw_memory_is_vectors_plus_links() -> None:
    assert check_claim("n * (d * fb + 2 * M * ib)", HNSW, "3.33 GB", None) is None


@pytest.mark.parametrize(
    ("expr", "given_", "value", "message"),
    [
        ("n * d * b", {"n": 1e8, "d": 128, "b": "4 byte"}, "51.2 GB/s", "unit mismatch"),
        ("n * d * b", {"n": 1e8, "d": 128, "b": "4 byte"}, "51.2 GiB", "check gives 47.68 GiB"),
        ("x ** 100", {"x": 2}, "1", "exponent 100 is beyond the limit of 64"),
        ("log(x)", {"x": "3 byte"}, "1", "log() needs a dimensionless argument"),
        ("open('f')", {}, "1", "call 'open' is not allowed"),
        ("x[0]", {"x": 1}, "1", "is not plain arithmetic"),
        ("lambda: 1", {}, "1", "is not plain arithmetic"),
        ("x if x else 1", {"x": 1}, "1", "is not plain arithmetic"),
        ("'a' * 3", {}, "1", "only numbers may appear as literals"),
        ("1 / (x - x)", {"x": 3}, "1", "division by zero"),
        ("x +", {"x": 1}, "1", "check is not a valid expression"),
        ("a + b", {"a": "1 s", "b": "1 byte"}, "1", "cannot combine units"),
        ("1e59 * 1e59", {}, "1", "out of range"),
        ("ceil(x)", {"x": 2.2}, "3", None),
        ("max(a, b)", {"a": "1 GB", "b": "2 GiB"}, "2 GiB", None),
        ("peak / bw", {"peak": "989 TFLOP/s", "bw": "3.35 TB/s"}, "295 FLOP/byte", None),
        ("2 * L * kv * hd * b", {"L": 80, "kv": 8, "hd": 128, "b": "2 byte/token"}, "320 kB/token", "check gives 327.7 kB/token"),
        ("2 * L * kv * hd * b", {"L": 80, "kv": 8, "hd": 128, "b": "2 byte/token"}, "320 KiB/token", None),
        ("hits / n", {"hits": 15, "n": 100}, "15%", None),
        ("hits / n", {"hits": 15, "n": 100}, "16%", "check gives 15 %"),
        ("n * r", {"n": 30, "r": "0.02 / minute"}, "0.6 / minute", None),
        ("v * t", {"v": "25 m/s", "t": "1.5 s"}, "37.5 m", None),
        ("d / v", {"d": "12 km", "v": "40 km/hour"}, "18 minute", None),
        ("d / v", {"d": "12 km", "v": "40 km/hour"}, "18 MB", "unit mismatch"),
    ],
)
def test_evaluator_cases(expr: str, given_: dict, value: str, message: str | None) -> None:
    result = check_claim(expr, given_, value, None)
    if message is None:
        assert result is None
    else:
        assert result is not None and message in result, result


def test_tolerance_is_relative() -> None:
    assert check_claim("x", {"x": 100}, "104", 0.05) is None
    assert "3.8% off" in (check_claim("x", {"x": 100}, "104", 0.01) or "")


_names = st.sampled_from(["a", "b", "c", "d", "log", "sqrt", "min", "max", "__import__", "x.y", "open"])
_atoms = st.one_of(
    st.integers(-(10**6), 10**6).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    _names,
    st.sampled_from(["'s'", "[1]", "{}", "()", "...", "None", "True", "1e999", "-0.0"]),
)
_ops = st.sampled_from([" + ", " - ", " * ", " / ", " ** ", " // ", " % ", " @ ", ", ", " and ", " < ", "."])


@st.composite
def expressions(draw: st.DrawFn, depth: int = 0) -> str:
    if depth > 3 or draw(st.booleans()):
        return draw(_atoms)
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return draw(expressions(depth + 1)) + draw(_ops) + draw(expressions(depth + 1))
    if kind == 1:
        return "(" + draw(expressions(depth + 1)) + ")"
    if kind == 2:
        return draw(_names) + "(" + draw(expressions(depth + 1)) + ")"
    return "-" + draw(expressions(depth + 1))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    expr=expressions(),
    given_=st.dictionaries(
        st.sampled_from(["a", "b", "c", "d"]),
        st.sampled_from([1, 0, -2.5, 1e30, "4 byte", "2 s", "3 GB/s", "1 token", "0 ms", "x y", ""]),
    ),
)
def test_evaluator_raises_only_check_error(expr: str, given_: dict) -> None:
    try:
        evaluate(expr, given_)
    except CheckError:
        pass


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=60))
def test_evaluator_on_arbitrary_text(text: str) -> None:
    try:
        evaluate(text, {"a": 1})
    except CheckError:
        pass


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("5-20 ms", None),
        ("94-96%", None),
        ("0.10-0.11 percent", None),
        ("15%", None),
        ("3 km", None),
        ("5-20 furlong", "unknown unit 'furlong'"),
        ("about 5 ms", "must start with a number"),
    ],
)
def test_cited_value_forms(value: str, problem: str | None) -> None:
    found = value_problem(value)
    assert (found is None) if problem is None else (found is not None and problem in found), found
