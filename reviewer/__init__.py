"""reviewer: an offline contract clause review assistant."""

__version__ = "0.1.0"
