"""Scheduling (FSRS) and storage (SQLite via sqlite-utils), paths and configuration."""
