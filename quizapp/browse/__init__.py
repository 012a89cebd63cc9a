"""Browse: every card with its memory and history; suspend, bury, reset."""

from quizapp.browse.model import CardInfo, PastAnswer

__all__ = ["CardInfo", "PastAnswer"]
