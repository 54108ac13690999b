"""Local "days" for daily limits, streaks and the heatmap.

A day starts at `day_starts_at_hour` local time (04:00 by default, as in Anki), so a late-night session
still counts for the day it belongs to. Stored times stay UTC; only these boundaries are local.
"""

from __future__ import annotations

import datetime as dt


class DayClock:
    def __init__(self, start_hour: int = 4, tz: dt.tzinfo | None = None):
        self.start_hour = min(max(int(start_hour), 0), 23)
        self.tz = tz  # None: the system's local time zone, with its DST rules

    def local(self, moment: dt.datetime) -> dt.datetime:
        return moment.astimezone(self.tz) if self.tz is not None else moment.astimezone()

    def day_of(self, moment: dt.datetime) -> dt.date:
        """The day a moment belongs to (a review at 01:30 belongs to the day before)."""
        return (self.local(moment) - dt.timedelta(hours=self.start_hour)).date()

    def start_of(self, day: dt.date) -> dt.datetime:
        """When `day` starts, in UTC."""
        wall = dt.datetime(day.year, day.month, day.day, self.start_hour)
        if self.tz is None:
            return wall.astimezone(dt.UTC)  # a naive time is read as system local time
        return wall.replace(tzinfo=self.tz).astimezone(dt.UTC)

    def bounds(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        return self.start_of(day), self.start_of(day + dt.timedelta(days=1))
