"""Go ``time`` semantics CGRateS relies on: RFC3339 output, ``time.ParseDuration``, ``Duration.String``,
``AddDate`` normalisation and CGRateS's ``utils.ParseTimeDetectLayout``.

Times are timezone-aware UTC datetimes; ``None`` stands for Go's zero time.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, datetime, timedelta

ZERO_TIME_TEXT = "0001-01-01T00:00:00Z"


class GoTimeError(ValueError):
    """Carries the exact error text Go would produce."""


def rfc3339(moment: datetime | None) -> str:
    """``time.Time`` JSON encoding (RFC3339Nano, trailing zeros of the fraction trimmed)."""
    if moment is None:
        return ZERO_TIME_TEXT
    moment = moment.astimezone(UTC)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        text += "." + f"{moment.microsecond:06d}".rstrip("0")
    return text + "Z"


def rfc3339_seconds(moment: datetime | None) -> str:
    """``t.Format(time.RFC3339)``: no fractional seconds."""
    if moment is None:
        return ZERO_TIME_TEXT
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


_RFC3339 = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|z|[+-]\d{2}:\d{2})$")


def parse_rfc3339(text: str) -> datetime:
    match = _RFC3339.match(text)
    if not match:
        raise GoTimeError(f'parsing time "{text}" as "2006-01-02T15:04:05Z07:00": cannot parse "{text}" as "2006"')
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    fraction, zone = match.group(7), match.group(8)
    micro = int((fraction[1:] + "000000")[:6]) if fraction else 0
    moment = datetime(year, month, day, hour, minute, second, micro, tzinfo=UTC)
    if zone not in ("Z", "z"):
        sign = 1 if zone[0] == "+" else -1
        offset = timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
        moment -= sign * offset
    return moment


# -- durations (nanoseconds as int) -------------------------------------------------------------------------

_UNITS = {
    "ns": 1,
    "us": 1_000,
    "µs": 1_000,
    "μs": 1_000,
    "ms": 1_000_000,
    "s": 1_000_000_000,
    "m": 60_000_000_000,
    "h": 3_600_000_000_000,
}
_SEGMENT = re.compile(r"(\d*\.?\d*)([^\d.]*)")


def parse_duration(text: str) -> int:
    """``time.ParseDuration``: returns nanoseconds, raises with Go's error text."""
    original, rest = text, text
    sign = 1
    if rest[:1] in "+-" and rest:
        sign = -1 if rest[0] == "-" else 1
        rest = rest[1:]
    if rest == "0":
        return 0
    if not rest:
        raise GoTimeError(f'time: invalid duration "{original}"')
    total = 0
    while rest:
        match = _SEGMENT.match(rest)
        number, unit = match.group(1), match.group(2)
        if number in ("", "."):
            raise GoTimeError(f'time: invalid duration "{original}"')
        if not unit:
            raise GoTimeError(f'time: missing unit in duration "{original}"')
        if unit not in _UNITS:
            raise GoTimeError(f'time: unknown unit "{unit}" in duration "{original}"')
        total += round(float(number) * _UNITS[unit])
        rest = rest[match.end() :]
    return sign * total


def format_duration(nanos: int) -> str:
    """``time.Duration.String``: 1m30s, 1h0m0s, 1.5s, 250ms, 0s."""
    if nanos == 0:
        return "0s"
    sign = "-" if nanos < 0 else ""
    nanos = abs(nanos)
    if nanos < 1_000_000_000:
        for unit, size in (("ms", 1_000_000), ("µs", 1_000), ("ns", 1)):
            if nanos >= size:
                return sign + _trim_fraction(nanos, size) + unit
    hours, rem = divmod(nanos, 3_600_000_000_000)
    minutes, rem = divmod(rem, 60_000_000_000)
    seconds = _trim_fraction(rem, 1_000_000_000) + "s"
    if hours:
        return f"{sign}{hours}h{minutes}m{seconds}"
    if minutes:
        return f"{sign}{minutes}m{seconds}"
    return sign + seconds


def _trim_fraction(value: int, unit: int) -> str:
    whole, frac = divmod(value, unit)
    if not frac:
        return str(whole)
    digits = len(str(unit)) - 1
    return f"{whole}." + f"{frac:0{digits}d}".rstrip("0")


# -- calendar arithmetic -------------------------------------------------------------------------------------


def add_date(moment: datetime, years: int = 0, months: int = 0, days: int = 0) -> datetime:
    """``time.Time.AddDate``: overflowing days roll into the next month (Jan 31 + 1 month = Mar 3)."""
    month_index = moment.month - 1 + months
    year = moment.year + years + month_index // 12
    month = month_index % 12 + 1
    first_of_month = moment.replace(year=year, month=month, day=1)
    return first_of_month + timedelta(days=moment.day - 1 + days)


def end_of_month(moment: datetime) -> datetime:
    """``utils.GetEndOfMonth``: the last second of the month."""
    last_day = calendar.monthrange(moment.year, moment.month)[1]
    return moment.replace(day=last_day, hour=23, minute=59, second=59, microsecond=0)


def monthly_estimated(moment: datetime) -> datetime:
    after = add_date(moment, months=1)
    while (after.year * 12 + after.month) - (moment.year * 12 + moment.month) > 1:
        after -= timedelta(days=1)
    return after


# -- utils.ParseTimeDetectLayout -----------------------------------------------------------------------------

_RULES = {
    "ast": re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d*[+,-]\d+$"),
    "rfc3339": re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}.+$"),
    "sql": re.compile(r"^\d{4}-\d{2}-\d{2}\s\d{2}:\d{2}:\d{2}$"),
    "unix": re.compile(r"^\d{10}$"),
    "unix_ms": re.compile(r"^\d{13}$"),
    "unix_ns": re.compile(r"^\d{19}$"),
    "one_line": re.compile(r"^\d{14}$"),
    "utc": re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$"),
}


def parse_time_detect_layout(text: str, now: datetime) -> datetime | None:
    """CGRateS's free-form time parser, cases tried in CGRateS's order. ``None`` is the zero time."""
    text = text.strip()
    if text in ("", "*unlimited"):
        return None
    for parser in (_parse_calendar_keyword, _parse_layouts):
        parsed = parser(text, now)
        if parsed is not _NO_MATCH:
            return parsed
    if text == "*now":
        return now
    if text[0] in "+-":
        delta = timedelta(microseconds=parse_duration(text[1:]) / 1000)
        return now + delta if text[0] == "+" else now - delta
    if _RULES["utc"].match(text):
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)
    raise GoTimeError("Unsupported time format")


_NO_MATCH: datetime | None = datetime.min


def _parse_calendar_keyword(text: str, now: datetime) -> datetime | None:
    fixed = {
        "*daily": lambda: add_date(now, days=1),
        "*monthly": lambda: add_date(now, months=1),
        "*monthly_estimated": lambda: monthly_estimated(now),
        "*yearly": lambda: add_date(now, years=1),
    }
    if text in fixed:
        return fixed[text]()
    if text.startswith("*month_end"):
        return end_of_month(now) + timedelta(microseconds=_extra_duration(text) / 1000)
    if text.startswith("*mo"):
        return add_date(now, months=1) + timedelta(microseconds=_extra_duration(text) / 1000)
    return _NO_MATCH


def _extra_duration(text: str) -> int:
    plus = text.find("+")
    return 0 if plus == -1 else parse_duration(text[plus + 1 :])


def _parse_layouts(text: str, _now: datetime) -> datetime | None:
    if _RULES["ast"].match(text) or _RULES["rfc3339"].match(text):
        return parse_rfc3339(text)
    if _RULES["sql"].match(text):
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    epoch_divisors = (("unix", 1), ("unix_ms", 1_000), ("unix_ns", 1_000_000_000))
    for rule, divisor in epoch_divisors:
        if _RULES[rule].match(text):
            return datetime.fromtimestamp(int(text) / divisor, UTC)
    if text == "0":
        return None
    if _RULES["one_line"].match(text):
        return datetime.strptime(text, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    return _NO_MATCH
