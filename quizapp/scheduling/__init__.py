"""Scheduling: FSRS memory (via the `fsrs` package) plus what fsrs leaves out, Anki style.

- `memory`: a card's scheduling state as a plain dataclass, and its queue.
- `review`: grading a card with fsrs (seeded fuzz, exam-date cap, leeches) and button previews.
- `intervals`: Anki-style interval text ("<1m", "10m", "3d", "1.2mo").
- `skills`: computed-skill cards: family -> topic, practice outcome -> grade.
- `forgetting`: the FSRS forgetting curve over NumPy arrays (imports NumPy).
No SQL and no UI here.
"""
