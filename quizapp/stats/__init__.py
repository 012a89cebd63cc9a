"""Statistics: the summary, per-day history and dashboard (NumPy over the store's
aggregates)."""

from quizapp.stats.build import (
    bin_days,
    build_history,
    build_stats,
    format_stats,
    longest_run,
    mastery,
    retention_series,
    rolling_sums,
    stats_dict,
    stats_json,
)
from quizapp.stats.model import (
    CardCounts,
    Dashboard,
    History,
    ScorePoint,
    StudyStats,
    TopicMastery,
)

__all__ = [
    "CardCounts",
    "Dashboard",
    "History",
    "ScorePoint",
    "StudyStats",
    "TopicMastery",
    "bin_days",
    "build_history",
    "build_stats",
    "format_stats",
    "longest_run",
    "mastery",
    "retention_series",
    "rolling_sums",
    "stats_dict",
    "stats_json",
]
