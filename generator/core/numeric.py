"""Safe, unit-aware evaluation of numeric checks: parsed with `ast`, never executed."""

from __future__ import annotations

import ast
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

UNITS_FILE = Path(__file__).with_name("units.txt")
MAX_EXPR_CHARS = 400
MAX_NODES = 200
MAX_DEPTH = 30
MAX_EXPONENT = 64
MAX_MAGNITUDE = 1e60
TIME_LIMIT_S = 0.25
DEFAULT_TOLERANCE = 0.01
MAX_TOLERANCE = 0.5


class CheckError(Exception):
    """A numeric check that cannot be evaluated or does not hold."""


@lru_cache(maxsize=1)
def registry() -> Any:
    """The project's pint unit registry (loaded once, from units.txt only)."""
    import pint

    return pint.UnitRegistry(str(UNITS_FILE), autoconvert_offset_to_baseunit=False, cache_folder=None)


def parse_quantity(raw: object, what: str) -> Any:
    """Parse a number or a 'number unit' string into a pint quantity."""
    ureg = registry()
    if isinstance(raw, bool):
        raise CheckError(f"{what} must be a number or a quantity such as '4 byte', got a boolean")
    if isinstance(raw, (int, float)):
        value = float(raw)
        _bounded(value, what)
        return ureg.Quantity(value)
    if not isinstance(raw, str) or not raw.strip():
        raise CheckError(f"{what} must be a number or a quantity such as '4 byte'")
    text = raw.strip().replace("_", "")
    if len(text) > 80 or any(ch in text for ch in "()[]{}=;:'\"\\`,"):
        raise CheckError(f"{what} '{raw}' is not a number with a unit")
    head, unit = _number_and_unit(text)
    if unit.startswith("/"):  # '0.02 / minute' is a rate: 0.02 per minute
        unit = "1 " + unit
    try:
        value = float(head)
    except ValueError:
        raise CheckError(f"{what} '{raw}' must start with a number, e.g. '51.2 GB'") from None
    _bounded(value, what)
    unit = unit.strip()
    if not unit:
        return ureg.Quantity(value)
    try:
        units = ureg.parse_units(unit)
    except Exception as exc:  # pint raises several error types for unknown units
        raise CheckError(f"{what} '{raw}': unknown unit '{unit}' ({type(exc).__name__})") from None
    return ureg.Quantity(value, units)


def _number_and_unit(text: str) -> tuple[str, str]:
    """Split '51.2 GB' into number and unit; '15%' and '94-96%' read as '15 %' and '94-96 %'."""
    head, _, unit = text.partition(" ")
    if head.endswith("%") and len(head) > 1 and not unit:
        return head[:-1], "%"
    return head, unit


def _bounded(value: float, what: str) -> float:
    if math.isnan(value) or math.isinf(value) or abs(value) > MAX_MAGNITUDE:
        raise CheckError(f"{what}: magnitude out of range (limit {MAX_MAGNITUDE:g})")
    return value


def _dimensionless(q: Any, fn: str) -> float:
    if not q.dimensionless:
        raise CheckError(f"{fn}() needs a dimensionless argument, got {q.units:~}")
    return float(q.to("dimensionless").magnitude)


def _unary(fn: Callable[[float], float], name: str) -> Callable[..., Any]:
    def apply(*args: Any) -> Any:
        if len(args) != 1:
            raise CheckError(f"{name}() takes exactly one argument")
        x = _dimensionless(args[0], name)
        try:
            return registry().Quantity(fn(x))
        except (ValueError, OverflowError):
            raise CheckError(f"{name}({x:g}) is undefined or too large") from None

    return apply


def _extreme(pick: Callable[..., Any], name: str) -> Callable[..., Any]:
    def apply(*args: Any) -> Any:
        if len(args) < 2:
            raise CheckError(f"{name}() takes at least two arguments")
        first = args[0]
        try:
            converted = [a.to(first.units) for a in args]
        except Exception:
            raise CheckError(f"{name}() arguments have different dimensions") from None
        return pick(converted, key=lambda q: q.magnitude)

    return apply


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "log": _unary(math.log, "log"),
    "log2": _unary(math.log2, "log2"),
    "log10": _unary(math.log10, "log10"),
    "sqrt": _unary(math.sqrt, "sqrt"),
    "exp": _unary(math.exp, "exp"),
    "ceil": _unary(math.ceil, "ceil"),
    "floor": _unary(math.floor, "floor"),
    "min": _extreme(min, "min"),
    "max": _extreme(max, "max"),
}

_BINOPS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)


@dataclass
class _Evaluator:
    names: dict[str, Any]
    deadline: float

    def eval(self, node: ast.AST, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            raise CheckError(f"expression nested deeper than {MAX_DEPTH} levels")
        if time.monotonic() > self.deadline:
            raise CheckError(f"check took longer than {TIME_LIMIT_S} s")
        ureg = registry()
        if isinstance(node, ast.Expression):
            return self.eval(node.body, depth + 1)
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
                raise CheckError(f"only numbers may appear as literals, not {node.value!r}")
            return ureg.Quantity(_bounded(float(node.value), "literal"))
        if isinstance(node, ast.Name):
            if node.id not in self.names:
                hint = f"; given has: {', '.join(sorted(self.names))}" if self.names else ""
                raise CheckError(f"unknown name '{node.id}' in check (define it under given{hint})")
            return self.names[node.id]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            value = self.eval(node.operand, depth + 1)
            return -value if isinstance(node.op, ast.USub) else value
        if isinstance(node, ast.BinOp) and isinstance(node.op, _BINOPS):
            return self._binop(node, depth)
        if isinstance(node, ast.Call):
            return self._call(node, depth)
        raise CheckError(f"'{ast.unparse(node)}' is not plain arithmetic ({type(node).__name__} is not allowed)")

    def _binop(self, node: ast.BinOp, depth: int) -> Any:
        left = self.eval(node.left, depth + 1)
        right = self.eval(node.right, depth + 1)
        try:
            if isinstance(node.op, ast.Pow):
                exponent = _dimensionless(right, "power")
                if abs(exponent) > MAX_EXPONENT:
                    raise CheckError(f"exponent {exponent:g} is beyond the limit of {MAX_EXPONENT}")
                result = left**exponent
            elif isinstance(node.op, ast.Add):
                result = left + right
            elif isinstance(node.op, ast.Sub):
                result = left - right
            elif isinstance(node.op, ast.Mult):
                result = left * right
            else:
                if right.magnitude == 0:
                    raise CheckError("division by zero")
                result = left / right
        except CheckError:
            raise
        except (OverflowError, ZeroDivisionError, ValueError) as exc:
            raise CheckError(f"arithmetic error: {exc}") from None
        except Exception as exc:  # pint's DimensionalityError and friends
            if type(exc).__name__ == "DimensionalityError":
                raise CheckError(f"cannot combine units in '{ast.unparse(node)}': {exc}") from None
            raise CheckError(f"cannot evaluate '{ast.unparse(node)}': {exc}") from None
        magnitude = result.magnitude
        if isinstance(magnitude, complex) or math.isnan(magnitude) or abs(magnitude) > MAX_MAGNITUDE:
            raise CheckError(f"'{ast.unparse(node)}' gives a value out of range")
        return result

    def _call(self, node: ast.Call, depth: int) -> Any:
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            allowed = ", ".join(sorted(FUNCTIONS))
            raise CheckError(f"call '{ast.unparse(node.func)}' is not allowed (allowed: {allowed})")
        if node.keywords:
            raise CheckError(f"{node.func.id}() takes no keyword arguments")
        args = [self.eval(arg, depth + 1) for arg in node.args]
        return FUNCTIONS[node.func.id](*args)


def evaluate(expression: str, given: dict[str, object] | None = None) -> Any:
    """Evaluate a check expression over `given`; returns a pint quantity or raises CheckError."""
    if not isinstance(expression, str) or not expression.strip():
        raise CheckError("check must be a non-empty expression")
    if len(expression) > MAX_EXPR_CHARS:
        raise CheckError(f"check is longer than {MAX_EXPR_CHARS} characters")
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError as exc:
        raise CheckError(f"check is not a valid expression: {exc.msg}") from None
    except (ValueError, RecursionError, MemoryError):
        raise CheckError("check is not a valid expression") from None
    if sum(1 for _ in ast.walk(tree)) > MAX_NODES:
        raise CheckError(f"check has more than {MAX_NODES} terms")
    registry()  # load units before the deadline starts: the first load is slow
    names: dict[str, Any] = {}
    for name, raw in (given or {}).items():
        if not isinstance(name, str) or not name.isidentifier() or name in FUNCTIONS:
            raise CheckError(f"given name '{name}' must be an identifier and not a function name")
        names[name] = parse_quantity(raw, f"given '{name}'")
    evaluator = _Evaluator(names, time.monotonic() + TIME_LIMIT_S)
    try:
        return evaluator.eval(tree)
    except RecursionError:
        raise CheckError("check is nested too deeply") from None


def compare(computed: Any, value: object, tolerance: float | None) -> str | None:
    """Compare a computed quantity with a claimed value; return a problem message or None."""
    tol = DEFAULT_TOLERANCE if tolerance is None else float(tolerance)
    if not 0 <= tol <= MAX_TOLERANCE:
        return f"tolerance {tol:g} must be between 0 and {MAX_TOLERANCE}"
    try:
        claimed = parse_quantity(value, "value")
    except CheckError as exc:
        return str(exc)
    if computed.dimensionality != claimed.dimensionality:
        got = _dim_text(computed)
        want = _dim_text(claimed)
        return f"unit mismatch: check gives {got} but value '{value}' is {want}"
    computed_value = float(computed.to(claimed.units).magnitude)
    claimed_value = float(claimed.magnitude)
    gap = abs(computed_value - claimed_value)
    if gap > tol * max(abs(claimed_value), 1e-300) and not (claimed_value == 0 and abs(computed_value) <= tol):
        text = str(value).strip() if isinstance(value, str) else ""
        unit_text = text.partition(" ")[2].strip() or ("%" if text.endswith("%") else "")
        shown = f"{_round(computed_value)} {unit_text}".strip()
        off = gap / abs(claimed_value) if claimed_value else float("inf")
        return f"check gives {shown}, value is {value} ({off:.1%} off, tolerance {tol:.1%})"
    return None


def _dim_text(q: Any) -> str:
    dims = str(q.dimensionality)
    return "a plain number" if dims == "dimensionless" else f"{dims} ({q.units:~})".replace("()", "").strip()


def _round(x: float) -> str:
    return f"{x:.4g}"


def value_problem(value: object) -> str | None:
    """Why a claimed value is not a number with an optional unit (or a range 'a-b unit'), else None."""
    try:
        parse_quantity(value, "value")
        return None
    except CheckError as exc:
        plain_error = f"{exc} (a value is one number with an optional unit, or a range such as '5-20 ms')"
    if isinstance(value, str):
        head, unit = _number_and_unit(value.strip())
        match = _RANGE_RE.fullmatch(head)
        if match:
            try:
                for part in match.groups():
                    parse_quantity(f"{part} {unit}".strip(), "value")
                return None
            except CheckError as exc:
                return str(exc)
    return plain_error


_RANGE_RE = re.compile(r"([0-9.]+(?:[eE][+-]?[0-9]+)?)[-–]([0-9.]+(?:[eE][+-]?[0-9]+)?)")


def check_claim(check: str, given: dict[str, object] | None, value: object, tolerance: float | None) -> str | None:
    """Evaluate and compare one claim; return a problem message or None when it holds."""
    try:
        computed = evaluate(check, given)
    except CheckError as exc:
        return str(exc)
    return compare(computed, value, tolerance)
