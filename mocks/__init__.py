"""Timed mock interview rounds, scored against the interview guide's rubrics."""
