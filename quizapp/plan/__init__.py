"""The exam plan: predicted recall on exam day from a simulation of the learner's own cards
at their daily time budget, and the cards whose next review falls after the exam."""
