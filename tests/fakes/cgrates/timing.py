"""ActionPlan timings: building an RITiming from ``SetActionPlan`` input and computing the next run.

CGRateS turns the shortcut times (``*monthly``, ``*daily``…) into a concrete timing at the moment the plan is
stored (``*monthly`` = this day of the month at the current wall-clock time), then evaluates a 7-field cron
expression (sec min hour monthday month weekday year) built from it.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime, timedelta

from .gotime import parse_duration

ASAP = "*asap"
# Timing profiles every tariff-plan load creates; the fake stores no others.
DEFAULT_TIMING_IDS = frozenset(
    {"*any", "*asap", "*every_minute", "*hourly", "*daily", "*weekly", "*monthly", "*monthly_estimated",
     "*month_end", "*yearly"}
)  # fmt: skip


def _parse_series(text: str, normalise=lambda value: value) -> list[int] | None:
    """``utils.Years.Parse`` and friends: ``*any``/empty give [], unparsable elements are skipped."""
    if text in ("*any", ""):
        return []
    values = [normalise(int(part)) for part in text.split(";") if _is_int(part)]
    return values or None


def _is_int(text: str) -> bool:
    try:
        int(text)
    except ValueError:
        return False
    return True


def _timing(id_: str, months=None, month_days=None, week_days=None, start: str = "") -> dict:
    return {
        "ID": id_,
        "Years": [],
        "Months": months if months is not None else [],
        "MonthDays": month_days if month_days is not None else [],
        "WeekDays": week_days if week_days is not None else [],
        "StartTime": start,
        "EndTime": "",
    }


def default_timing(time_text: str, now: datetime) -> dict | None:
    """``checkDefaultTiming``: the shortcut times, resolved against ``now``."""
    clock = now.strftime("%H:%M:%S")
    go_weekday = (now.weekday() + 1) % 7  # Go: Sunday = 0
    shortcuts = {
        "*every_minute": lambda: _timing("*every_minute", start=f"*:*:{now.second}"),
        "*hourly": lambda: _timing("*hourly", start=f"*:{now.minute}:{now.second}"),
        "*daily": lambda: _timing("*daily", start=clock),
        "*weekly": lambda: _timing("*weekly", week_days=[go_weekday], start=clock),
        "*monthly": lambda: _timing("*monthly", month_days=[now.day], start=clock),
        "*monthly_estimated": lambda: _timing("*monthly_estimated", month_days=[now.day], start=clock),
        "*month_end": lambda: _timing("*month_end", month_days=[-1], start=clock),
        "*yearly": lambda: _timing("*yearly", months=[now.month], month_days=[now.day], start=clock),
    }
    build = shortcuts.get(time_text)
    return build() if build else None


def valid_time_format(text: str) -> bool:
    """``verifyFormat``: empty, ``*asap``, ``+duration`` or ``hh:mm:ss`` (at most 8 characters)."""
    if text in ("", ASAP) or text.startswith("+"):
        return True
    parts = text.split(":")
    return len(text) <= 8 and len(parts) == 3 and all(_is_int(part) for part in parts)


def timing_from_plan_entry(entry: dict, now: datetime) -> dict | None:
    """The RITiming for one ``ActionPlan`` entry, or None when ``Time`` has an unsupported format."""
    shortcut = default_timing(entry["Time"], now)
    if shortcut is not None:
        return shortcut
    if not valid_time_format(entry["Time"]):
        return None
    return {
        "ID": entry["TimingID"],
        "Years": _parse_series(entry["Years"]),
        "Months": _parse_series(entry["Months"]),
        "MonthDays": _parse_series(entry["MonthDays"]),
        "WeekDays": _parse_series(entry["WeekDays"], lambda day: day % 7),
        "StartTime": entry["Time"],
        "EndTime": "",
    }


def is_asap(timing: dict | None) -> bool:
    return timing is not None and timing["StartTime"] == ASAP


def is_one_shot(timing: dict | None) -> bool:
    return timing is not None and timing["StartTime"].startswith("+")


def one_shot_time(timing: dict, now: datetime) -> datetime:
    return now + timedelta(microseconds=parse_duration(timing["StartTime"][1:]) / 1000)


# -- cron evaluation -----------------------------------------------------------------------------------------


@dataclass
class _Cron:
    seconds: list[int]
    minutes: list[int]
    hours: list[int]
    month_days: list[int] | None  # None = any; -1 = last day
    months: list[int] | None
    week_days: list[int] | None
    years: list[int] | None

    def day_matches(self, day: datetime) -> bool:
        if self.years is not None and day.year not in self.years:
            return False
        if self.months is not None and day.month not in self.months:
            return False
        last = calendar.monthrange(day.year, day.month)[1]
        dom_ok = self.month_days is None or day.day in self.month_days or (-1 in self.month_days and day.day == last)
        dow_ok = self.week_days is None or (day.weekday() + 1) % 7 in self.week_days
        if self.month_days is not None and self.week_days is not None:
            return dom_ok or dow_ok  # cron: both restricted means either
        return dom_ok and dow_ok


def _field(text: str, full_range: range) -> list[int]:
    if text == "*":
        return list(full_range)
    return sorted({int(part) for part in text.split(",")})


def _cron_for(timing: dict) -> _Cron:
    """``RITiming.CronString`` after ``GetNextStartTime``'s normalisation, parsed."""
    start = timing["StartTime"] or "00:00:00"
    parts = start.split(":")
    hour, minute, second = parts if len(parts) == 3 else ("*", "*", "*")
    years = timing["Years"] or []
    months = timing["Months"] or []
    month_days = timing["MonthDays"] or []
    if years and not months:
        months = [1]
    if months and not month_days:
        month_days = [1]
    return _Cron(
        seconds=_field(second, range(60)),
        minutes=_field(minute, range(60)),
        hours=_field(hour, range(24)),
        month_days=list(month_days) or None,
        months=list(months) or None,
        week_days=list(timing["WeekDays"] or []) or None,
        years=list(years) or None,
    )


def next_start_time(timing: dict, ref: datetime) -> datetime | None:
    """The first instant strictly after ``ref`` (whole seconds) that the timing matches."""
    cron = _cron_for(timing)
    start = ref.replace(microsecond=0) + timedelta(seconds=1)
    day = start.replace(hour=0, minute=0, second=0)
    for _ in range(366 * 8):
        if cron.day_matches(day):
            found = _first_time_of_day(cron, day, start)
            if found is not None:
                return found
        day += timedelta(days=1)
    return None


def _first_time_of_day(cron: _Cron, day: datetime, not_before: datetime) -> datetime | None:
    for hour in cron.hours:
        for minute in cron.minutes:
            for second in cron.seconds:
                candidate = day.replace(hour=hour, minute=minute, second=second)
                if candidate >= not_before:
                    return candidate
    return None
