"""The NumPy neural engine: primitives and computed-problem generators.

Pure computation: no I/O, no UI, never imports quizapp. Importing `engine` alone is cheap;
the NumPy-backed parts load from their submodules.
"""

from engine.catalog import ACTIVATIONS, DIFFICULTIES, FAMILIES, LOSSES, SCENARIOS

__all__ = ["ACTIVATIONS", "DIFFICULTIES", "FAMILIES", "LOSSES", "SCENARIOS"]
