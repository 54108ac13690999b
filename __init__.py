"""prepdeck: get ready for data-engineering interviews, and stay ready, in the terminal."""

__version__ = "0.1.0"
