"""The project's single pint unit registry, and quantities as Chinese reports print them.

Every quantity that crosses a boundary of parkcap (a data file, the CLI, an export, the
dashboard) passes through :func:`parse_quantity` or :func:`format_quantity`; inside the
model, numbers are plain floats in each stage's canonical unit.

Conventions
-----------
* Energy (``GWh``, ``MWh``, ``kWh``) and power (``GW``, ``MW``) are different dimensions:
  ``20 GW`` of silicon wafers is not ``20 GWh``.
* Discrete goods are counted in their own base dimensions, ``set`` (套) and ``piece``
  (个/件), so that 3500万套 of casings can never be added to tonnes or square metres.
* Chinese magnitudes 万 (1e4) and 亿 (1e8) are read as numbers that multiply the value
  (Chinese unit names are mapped to pint symbols first), so ``18.3万吨``, ``1.5亿平方米``,
  ``1.5亿 m**2`` and ``3500 万套`` all parse.
* Capacities are annual rates: a stage's capacity in ``t`` means tonnes per year. The
  rate unit of a stage is ``f"{unit} / a"`` (``a`` is pint's year).
"""

from __future__ import annotations

import functools
import math
import re
from decimal import Decimal

import pint
import pint_xarray

__all__ = [
    "ureg",
    "Q_",
    "UnitParseError",
    "parse_quantity",
    "parse_unit",
    "format_quantity",
    "GrowthIndicator",
    "parse_growth",
    "rate_unit",
]

ureg: pint.UnitRegistry = pint.UnitRegistry(
    force_ndarray_like=True, on_redefinition="raise", cache_folder=None
)
"""The one unit registry of parkcap. Never create another: quantities of two registries
cannot be combined."""

_DEFINITIONS = [
    # counting units: new base dimensions so they refuse to mix with mass or area
    "set = [set] = _ = 套 = sets",
    "piece = [piece] = _ = 个 = 件 = pieces = pcs",
    "project = [project] = _ = 项 = projects",
    # Chinese magnitudes as plain numbers; parse_quantity folds them into the value
    "万 = 1e4",
    "亿 = 1e8",
    # kilotonne, because pint's kt is the knot
    "kilotonne = 1e3 * tonne = kilotonnes",
    # a calendar quarter of time (pint's own "quarter" is a mass: 28 lb); the time step of
    # the projections, used to turn annual rates into amounts per quarter
    "calendar_quarter = year / 4 = _ = quarter_year = calendar_quarters",
]
for _line in _DEFINITIONS:
    ureg.define(_line)
pint.set_application_registry(ureg)
pint_xarray.setup_registry(ureg)
ureg.formatter.default_format = "~"

Q_ = ureg.Quantity


class UnitParseError(ValueError):
    """A text could not be read as a quantity or unit; the message says what was expected."""


# Chinese unit names → pint symbols, longest first so 吉瓦时 wins over 吉瓦
_CN_UNITS = [
    ("吉瓦时", "GWh"),
    ("兆瓦时", "MWh"),
    ("千瓦时", "kWh"),
    ("瓦时", "Wh"),
    ("吉瓦", "GW"),
    ("兆瓦", "MW"),
    ("千瓦", "kW"),
    ("平方米", "m**2"),
    ("立方米", "m**3"),
    ("万", " 万 "),
    ("亿", " 亿 "),
    ("吨", "t"),
    ("套", "set"),
    ("个", "piece"),
    ("件", "piece"),
    ("项", "project"),
    ("年", "a"),
]
_SPELLING_FIXES = [
    # the source writes "20Gw" for 20 GW
    (re.compile(r"(?<![A-Za-z])([kMGT])w(h?)(?![A-Za-z])"), r"\1W\2"),
    (re.compile(r"(?<![A-Za-z])gwh(?![A-Za-z])"), "GWh"),
    (re.compile(r"㎡|m²"), "m**2"),
    (re.compile(r"³"), "**3"),
    (re.compile(r"²"), "**2"),
]
_NUMBER = re.compile(r"^\s*([-+]?(?:\d[\d,]*(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$")
_STRIP_WORDS = re.compile(r"^(约|近|超过|逾)|(/年|每年|per year|/yr)$")


def _clean(text: str) -> str:
    out = text.strip().replace("，", ",").replace("\u3000", " ")
    out = _STRIP_WORDS.sub("", out).strip()
    for cn, sym in _CN_UNITS:
        out = out.replace(cn, sym)
    for pattern, repl in _SPELLING_FIXES:
        out = pattern.sub(repl, out)
    return re.sub(r"\s+", " ", out).strip()


def parse_unit(text: str) -> pint.Unit:
    """Read a unit as written in a data file (``"t/GWh"``, ``"吨"``, ``"m**2 / GWh"``).

    Raises :class:`UnitParseError` naming the text when pint does not know it or when it
    carries a magnitude (``"万吨"`` is a quantity of 10,000 t, not a unit).
    """
    cleaned = _clean(str(text))
    if not cleaned:
        msg = "empty unit; expected a unit such as 't', 'GWh', 'm**2' or 'set'"
        raise UnitParseError(msg)
    try:
        q = ureg.parse_expression(cleaned)
    except Exception as exc:  # pint's tokenizer raises assorted error types on odd text
        msg = f"unknown unit {text!r}; expected a pint unit such as 't', 'GWh', 'm**2' or 'set'"
        raise UnitParseError(msg) from exc
    if (
        not isinstance(q, pint.Quantity)
        or q.magnitude != 1
        or any(n in _MAGNITUDE_UNITS for n, _ in q.unit_items())
    ):
        msg = f"{text!r} is not a plain unit; expected e.g. 't' or 'm**2/GWh'"
        raise UnitParseError(msg)
    return q.units


def parse_quantity(
    text: str | float | int | pint.Quantity, default_unit: str | None = None
) -> pint.Quantity:
    """Read a quantity as a Chinese report or a planner writes it.

    Accepts ``"37.5GWh"``, ``"37.5 吉瓦时"``, ``"18.3万吨"`` (183,000 t), ``"1.5亿平方米"``
    (1.5e8 m²), ``"3500万套"``, ``"20Gw"`` (the source's spelling of GW), ``"200兆瓦时"``,
    ``"1,234 t"``, and any plain pint string (``"5e4 tonne"``).

    Parameters
    ----------
    text
        The quantity as written. A bare number needs ``default_unit``.
    default_unit
        Unit for a bare number; ``None`` makes a bare number an error.

    Returns
    -------
    pint.Quantity
        In pint's symbols for the units as written (convert with ``.to(...)``). Magnitudes
        万/亿 are folded into the number: ``"18.3万吨"`` gives ``183000 t``.

    Raises
    ------
    UnitParseError
        For empty text, a missing number, NaN or infinity, or an unknown unit; the message
        names the text and says what was expected.
    """
    if isinstance(text, pint.Quantity):
        return text
    if isinstance(text, (int, float)):
        if default_unit is None:
            msg = f"bare number {text!r} has no unit; expected e.g. '37.5 GWh'"
            raise UnitParseError(msg)
        return _finite(Q_(float(text), parse_unit(default_unit)), str(text))
    raw = str(text)
    cleaned = _clean(raw)
    if not cleaned:
        msg = "empty quantity; expected a number with a unit such as '18.3万吨'"
        raise UnitParseError(msg)
    if re.match(r"^[-+]?(nan|inf|infinity)\b", cleaned, re.IGNORECASE):
        msg = f"{raw!r} is not a finite number; expected e.g. '37.5 GWh'"
        raise UnitParseError(msg)
    m = _NUMBER.match(cleaned)
    if not m:
        msg = f"{raw!r} does not start with a number; expected e.g. '18.3万吨' or '37.5 GWh'"
        raise UnitParseError(msg)
    number, unit_text = m.group(1), m.group(2)
    if "," in number:
        if not re.fullmatch(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?([eE][-+]?\d+)?", number):
            msg = f"{raw!r}: cannot read the number {number!r}; expected e.g. '1,234.5'"
            raise UnitParseError(msg)
        number = number.replace(",", "")
    magnitude_words = []
    while unit_text.split(" ", 1)[0] in _MAGNITUDE_UNITS:
        word, _, unit_text = unit_text.partition(" ")
        magnitude_words.append(word)
        unit_text = unit_text.strip()
    if not unit_text:
        if default_unit is None:
            msg = f"{raw!r} has no unit; expected e.g. '37.5 GWh' or '18.3万吨'"
            raise UnitParseError(msg)
        unit_text = default_unit
    try:
        unit = parse_unit(unit_text)
    except UnitParseError as exc:
        msg = (
            f"{raw!r}: unknown unit {unit_text!r}; expected a unit such as 't', '万吨', 'GWh', "
            "'吉瓦时', 'm**2', '亿平方米', 'set' or '套'"
        )
        raise UnitParseError(msg) from exc
    value = Decimal(number)
    for word in magnitude_words:
        value *= Decimal(_MAGNITUDE_UNITS[word])
    return _finite(Q_(float(value), unit), raw)


_MAGNITUDE_UNITS = {"万": 10_000, "亿": 100_000_000}


def _finite(q: pint.Quantity, raw: str) -> pint.Quantity:
    if not math.isfinite(float(q.magnitude)):
        msg = f"{raw!r} is not a finite number"
        raise UnitParseError(msg)
    return q


# ---------------------------------------------------------------------------
# formatting
# ---------------------------------------------------------------------------
_ZH_UNIT_NAMES = {
    "t": "吨",
    "m ** 2": "平方米",
    "set": "套",
    "piece": "个",
    "GWh": "吉瓦时",
    "MWh": "兆瓦时",
    "kWh": "千瓦时",
    "GW": "吉瓦",
    "MW": "兆瓦",
}


def _significant(value: float, digits: int) -> str:
    """Shortest decimal text of ``value`` rounded to ``digits`` significant digits."""
    if value == 0:
        return "0"
    d = Decimal(repr(value))
    rounded = round(d, digits - d.adjusted() - 1) if digits else d
    text = format(rounded.normalize(), "f")
    return text


def format_quantity(q: pint.Quantity, lang: str = "zh", digits: int = 15) -> str:
    """Write a quantity back as a report would.

    ``lang="zh"`` uses 万/亿 magnitudes and Chinese unit names where they exist
    (``183000 t`` → ``"18.3万吨"``, ``1.5e8 m**2`` → ``"1.5亿平方米"``, ``37.5 GWh`` →
    ``"37.5吉瓦时"``). ``lang="en"`` writes thousands separators and pint's short unit
    symbol (``"183,000 t"``). ``digits`` is the number of significant digits kept; with
    the default, :func:`parse_quantity` reads the text back to the same value.
    """
    if lang not in {"zh", "en"}:
        msg = f"lang must be 'zh' or 'en', not {lang!r}"
        raise ValueError(msg)
    mag = float(q.magnitude)
    unit_sym = f"{q.units:~}"
    shown_sym = unit_sym.replace(" ** 2", "²").replace(" ** 3", "³")
    if lang == "en":
        if mag != 0 and (abs(mag) >= 1e15 or abs(mag) < 1e-4):
            number = f"{float(_significant(mag, digits)):.{digits}g}"
        else:
            text = _significant(mag, digits)
            intpart, _, frac = text.partition(".")
            sign = "-" if intpart.startswith("-") else ""
            intpart = intpart.lstrip("-")
            number = sign + f"{int(intpart):,}" + (f".{frac}" if frac else "")
        return f"{number} {shown_sym}".strip()
    zh_name = _ZH_UNIT_NAMES.get(unit_sym)
    scale, word = 1.0, ""
    if zh_name is not None:
        if abs(mag) >= 1e8:
            scale, word = 1e8, "亿"
        elif abs(mag) >= 1e4:
            scale, word = 1e4, "万"
    scaled = float(Decimal(repr(mag)) / Decimal(repr(scale))) if scale != 1.0 else mag
    number = _significant(scaled, digits)
    if abs(scaled) >= 1e15 or (scaled != 0 and abs(scaled) < 1e-4):
        number = f"{scaled:.{digits}g}"
    if zh_name is not None:
        return f"{number}{word}{zh_name}"
    return f"{number} {shown_sym}".strip()


@functools.lru_cache(maxsize=512)
def display_unit(unit: str) -> str:
    """A unit as people read it: ``"m**2 / a"`` -> ``"m²/a"``, ``"t / a"`` -> ``"t/a"``.

    Cached: the pages write a few dozen units hundreds of times, and parsing one costs pint
    about a fifth of a millisecond.
    """
    return f"{parse_unit(unit):~P}".replace(" ", "") if unit else ""


def rate_unit(unit: str) -> str:
    """The annual-rate unit of a stage whose goods are counted in ``unit`` (``"t"`` → ``"t / a"``)."""
    return f"{unit} / a"


# ---------------------------------------------------------------------------
# Chinese growth phrasing
# ---------------------------------------------------------------------------
class GrowthIndicator:
    """A year-on-year growth figure as the article phrases it.

    Chinese statistics say "增长1.3倍" for an *increase* of 130 %: this year is 2.3 times
    last year. "增长45.1%" is an increase of 45.1 %: 1.451 times last year. ``ratio`` is
    always this year's level divided by last year's.
    """

    __slots__ = ("increase", "text")

    def __init__(self, text: str, increase: float) -> None:
        self.text = text
        self.increase = increase

    @property
    def ratio(self) -> float:
        """The ratio of this year's level to last year's level."""
        return 1.0 + self.increase

    def __repr__(self) -> str:
        return f"GrowthIndicator({self.text!r}, increase={self.increase!r}, ratio={self.ratio!r})"


_GROWTH = re.compile(r"^\s*(增长|下降|减少)?\s*([-+]?\d+(?:\.\d+)?)\s*(倍|%|％|个百分点)\s*$")


def parse_growth(text: str) -> GrowthIndicator:
    """Read "增长1.3倍" (+130 %), "增长45.1%" (+45.1 %), "下降5%" (−5 %).

    Raises :class:`UnitParseError` for other phrasings, naming the text.
    """
    m = _GROWTH.match(str(text))
    if not m:
        msg = f"cannot read growth {text!r}; expected '增长1.3倍' (an increase of 130 %) or '增长45.1%'"
        raise UnitParseError(msg)
    verb, number, kind = m.groups()
    value = float(number)
    if kind == "个百分点":
        msg = f"{text!r} is a change in percentage points, not a growth rate"
        raise UnitParseError(msg)
    increase = value if kind == "倍" else value / 100.0
    if verb in {"下降", "减少"}:
        increase = -increase
    if increase <= -1.0:
        msg = f"growth {text!r} would make the level negative"
        raise UnitParseError(msg)
    return GrowthIndicator(str(text), increase)


def format_money(value: float, lang: str = "zh", per_year: bool = False) -> str:
    """An amount of yuan as people write it: ``3.2亿元`` / ``CNY 320 m`` (``/年``, ``/a``).

    Parameters
    ----------
    value
        Yuan (CNY).
    lang
        ``"zh"``: 元, 万元, 亿元; ``"en"``: CNY, CNY m, CNY bn.
    per_year
        Add ``/年`` or ``/a`` (an annual amount such as output value).
    """
    if lang == "zh":
        scale, name = next(
            ((f, n) for f, n in ((1e8, "亿元"), (1e4, "万元")) if abs(value) >= f), (1.0, "元")
        )
        return f"{value / scale:,.3g}{name}" + ("/年" if per_year else "")
    scale, name = next(
        ((f, n) for f, n in ((1e9, " bn"), (1e6, " m")) if abs(value) >= f), (1.0, "")
    )
    return f"CNY {value / scale:,.3g}{name}" + ("/a" if per_year else "")


# ---------------------------------------------------------------------------
# one spelling of a unit per audience (display only: parsing above is unchanged)
# ---------------------------------------------------------------------------
#: Who reads a unit string, and so how it is spelled.
#:
#: ``zh``, ``en``
#:     People (XLSX headers, the HTML briefing): ``平方米/年``, ``吨/年``, ``吉瓦时/年`` (the
#:     names :func:`format_quantity` writes, so ``1.5亿平方米/年`` and its header agree);
#:     ``m²/a``, ``t/a``, ``GWh/a``.
#: ``udunits``
#:     NetCDF ``units`` attributes (CF conventions): ``m^2 year^-1``, ``GW h year^-1``. UDUNITS
#:     reads ``a`` as the are (100 m²) and has no ``Wh``; ``^-1`` rather than ``-1`` so
#:     that :data:`ureg` (pint) reads the same string. Counting units (``set``) are not in
#:     UDUNITS: they are kept as an extension, which :data:`ureg` reads.
#: ``iamc``
#:     The IAMC ``unit`` column, as iam-units spells it: ``m^2/yr``, ``GWh/yr``, ``t``.
#: ``pint``
#:     The tidy CSV and the simulator's own unit coordinates: ``m**2 / a``, ``GWh / a``.
UNIT_AUDIENCES = ("zh", "en", "udunits", "iamc", "pint")

#: pint symbol -> its spelling for each audience of :data:`UNIT_AUDIENCES` (same order). A
#: symbol not listed is written as pint's symbol (``Wh`` endings as ``W h`` for UDUNITS).
UNIT_SPELLINGS: dict[str, tuple[str, str, str, str, str]] = {
    #         zh (as format_quantity writes it)   en   udunits   iamc   pint
    "t": ("吨", "t", "t", "t", "t"),
    "m": ("米", "m", "m", "m", "m"),
    "GWh": ("吉瓦时", "GWh", "GW h", "GWh", "GWh"),
    "MWh": ("兆瓦时", "MWh", "MW h", "MWh", "MWh"),
    "kWh": ("千瓦时", "kWh", "kW h", "kWh", "kWh"),
    "Wh": ("瓦时", "Wh", "W h", "Wh", "Wh"),
    "GW": ("吉瓦", "GW", "GW", "GW", "GW"),
    "MW": ("兆瓦", "MW", "MW", "MW", "MW"),
    "kW": ("千瓦", "kW", "kW", "kW", "kW"),
    "a": ("年", "a", "year", "yr", "a"),
    "h": ("小时", "h", "h", "h", "h"),
    "set": ("套", "set", "set", "set", "set"),
    "piece": ("个", "piece", "piece", "piece", "piece"),
    "project": ("项", "project", "project", "project", "project"),
}
#: powers that Chinese names as words (平方米, not 米²)
_ZH_POWERS = {("米", 2): "平方米", ("米", 3): "立方米"}
_SUPERSCRIPT = {2: "²", 3: "³"}


def spell_unit(unit: str | pint.Unit, audience: str) -> str:
    """A unit spelled for one audience (:data:`UNIT_AUDIENCES`), from the one table.

    Parameters
    ----------
    unit
        A unit :data:`ureg` reads (``"m**2 / a"``, ``"GWh"``, ``"1 / a"``,
        ``"dimensionless"``) or a ``pint.Unit``.
    audience
        ``zh`` or ``en`` (people), ``udunits`` (NetCDF), ``iamc``, or ``pint`` (CSV).

    Returns
    -------
    str
        ``"m**2 / a"`` gives ``平方米/年``, ``m²/a``, ``m^2 year^-1``, ``m^2/yr`` and
        ``m**2 / a``; a dimensionless unit gives ``1`` for UDUNITS, ``dimensionless`` for
        pint and ``""`` for people and IAMC.

    Raises
    ------
    ValueError
        For an unknown audience.
    """
    if audience not in UNIT_AUDIENCES:
        msg = f"audience must be one of {UNIT_AUDIENCES}, not {audience!r}"
        raise ValueError(msg)
    col = UNIT_AUDIENCES.index(audience)
    parsed = ureg.parse_units(unit) if isinstance(unit, str) else unit
    atoms: list[tuple[str, int]] = []
    for name, exp in pint.util.to_units_container(parsed).items():
        symbol = ureg.get_symbol(name)
        row = UNIT_SPELLINGS.get(symbol)
        if row is not None:
            atoms.append((row[col], int(exp)))
        elif audience == "udunits" and symbol.endswith("Wh"):
            atoms.append((symbol[:-1] + " h", int(exp)))
        else:
            atoms.append((symbol, int(exp)))
    num = [(s, e) for s, e in atoms if e > 0]
    den = [(s, -e) for s, e in atoms if e < 0]
    if audience == "udunits":
        text = " ".join(s if e == 1 else f"{s}^{e}" for s, e in num + [(s, -e) for s, e in den])
        return text or "1"
    if audience == "pint":
        top = " * ".join(s if e == 1 else f"{s}**{e}" for s, e in num) or "1"
        bottom = " / ".join(s if e == 1 else f"{s}**{e}" for s, e in den)
        if not num and not den:
            return "dimensionless"
        return f"{top} / {bottom}" if bottom else top
    if audience == "iamc":
        top = "*".join(s if e == 1 else f"{s}^{e}" for s, e in num) or ("1" if den else "")
        bottom = "/".join(s if e == 1 else f"{s}^{e}" for s, e in den)
        return f"{top}/{bottom}" if bottom else top
    joiner = "·"

    def word(s: str, e: int) -> str:
        if audience == "zh" and (s, e) in _ZH_POWERS:
            return _ZH_POWERS[s, e]
        return s + _SUPERSCRIPT.get(e, "" if e == 1 else f"^{e}")

    top = joiner.join(word(s, e) for s, e in num)
    bottom = joiner.join(word(s, e) for s, e in den)
    if not bottom:
        return top
    if len(den) > 1:
        bottom = f"({bottom})"
    return f"{top or '1'}/{bottom}"


def unspell_unit(text: str, audience: str) -> str:
    """The pint spelling of a unit written for ``audience`` (:func:`spell_unit` undone).

    Parameters
    ----------
    text
        A unit as :func:`spell_unit` writes it for ``audience`` (``"m^2 year^-1"``).
    audience
        ``udunits``, ``iamc`` or ``pint`` (machine spellings that :data:`ureg` reads).

    Returns
    -------
    str
        The pint spelling (``"m**2 / a"``), which :func:`spell_unit` maps back to ``text``.
    """
    if audience not in {"udunits", "iamc", "pint"}:
        msg = f"only machine spellings can be read back, not {audience!r}"
        raise ValueError(msg)
    col = UNIT_AUDIENCES.index(audience)
    cleaned = str(text).strip()
    if audience == "udunits":
        for row in UNIT_SPELLINGS.values():
            if " " in row[col]:  # "GW h" -> "GWh" before the words are split
                cleaned = cleaned.replace(row[col], row[UNIT_AUDIENCES.index("pint")])
        cleaned = " ".join(
            next((r[-1] for r in UNIT_SPELLINGS.values() if r[col] == w.split("^")[0]), w)
            + ("^" + w.split("^", 1)[1] if "^" in w else "")
            for w in cleaned.split()
        )
    elif audience == "iamc":
        cleaned = cleaned.replace("/yr", "/a")
    if cleaned in {"", "1"}:
        return "dimensionless"
    return spell_unit(cleaned, "pint")
