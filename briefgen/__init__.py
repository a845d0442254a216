"""briefgen: turn a folder of news articles into a cited brief and a what-to-watch list."""

__version__ = "0.1.0"
