"""quizapp: terminal exam prep for neural networks (AWS ML Specialty material)."""

__version__ = "0.1.0"
