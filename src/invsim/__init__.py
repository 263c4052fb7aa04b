"""invsim: an investment simulator with paper trading, analytics and challenges."""

__version__ = "0.1.0"
