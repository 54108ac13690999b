"""ISO weeks in local time: `2026-W48` is Monday 00:00 to the next Monday 00:00 where the user lives.

A DST change makes such a week 167 or 169 hours long; the bounds are computed from local midnights,
never as "start + 7 days" in UTC, so no review lands in the wrong week.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


class WeekError(ValueError):
    """An unusable --week value; the message is one line for the user."""


FIRST_YEAR, LAST_YEAR = 1970, 9998


@dataclass(frozen=True)
class Week:
    year: int
    number: int
    tz: dt.tzinfo | None = None  # None = the process's local time zone (honours $TZ)

    @classmethod
    def parse(cls, text: str, tz: dt.tzinfo | None = None) -> Week:
        match = _WEEK.match(text.strip())
        if not match:
            raise WeekError(f"invalid week '{text}': expected YYYY-Www, e.g. 2026-W48")
        year, number = int(match[1]), int(match[2])
        if not FIRST_YEAR <= year <= LAST_YEAR:
            # a report looks back 12 weeks and forward 2: the edges of the calendar would overflow
            raise WeekError(f"invalid week '{text}': use a year from {FIRST_YEAR} to {LAST_YEAR}")
        try:
            dt.date.fromisocalendar(year, number, 1)
        except ValueError:
            raise WeekError(f"invalid week '{text}': {year} has no ISO week {number}") from None
        return cls(year, number, tz)

    @classmethod
    def containing(cls, moment: dt.datetime, tz: dt.tzinfo | None = None) -> Week:
        year, number, _ = local_date(moment, tz).isocalendar()
        return cls(year, number, tz)

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.number:02d}"

    @property
    def monday(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.number, 1)

    @property
    def sunday(self) -> dt.date:
        return self.monday + dt.timedelta(days=6)

    def days(self) -> list[dt.date]:
        return [self.monday + dt.timedelta(days=i) for i in range(7)]

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """[start, end) as aware datetimes: local Monday 00:00 and the following Monday 00:00."""
        return local_midnight(self.monday, self.tz), local_midnight(
            self.monday + dt.timedelta(days=7), self.tz
        )

    def previous(self) -> Week:
        return Week.containing(local_midnight(self.monday - dt.timedelta(days=7), self.tz), self.tz)


def local_midnight(day: dt.date, tz: dt.tzinfo | None = None) -> dt.datetime:
    naive = dt.datetime.combine(day, dt.time())
    # astimezone() on a naive datetime reads it as local time (after time.tzset(), $TZ counts)
    return naive.replace(tzinfo=tz) if tz is not None else naive.astimezone()


def local_date(moment: dt.datetime, tz: dt.tzinfo | None = None) -> dt.date:
    return moment.astimezone(tz).date()
