"""Generator of the ML system design knowledge base: concept files to wiki pages and Anki decks."""

__version__ = "0.1.0"
