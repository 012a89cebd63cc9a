"""Quiz sessions and exam simulation, without any UI.

Start with `QuizSession.start(QuizSetup.practice(...) | QuizSetup.exam(profile), items,
recorder, clock=..., mastery=...)`; see `quizapp.quiz.session` for the flow and
`quizapp.quiz.record.QuizRecorder` for what persistence must provide.
"""

from quizapp.quiz.plan import KIND_GROUP_LABELS, KIND_GROUPS, AttemptPlan, DomainQuota, QuizSetup
from quizapp.quiz.profiles import (
    ExamProfile,
    built_in,
    custom_exam,
    default_profile,
    profile_by_name,
)
from quizapp.quiz.questions import MisconceptionNote, Option, Question
from quizapp.quiz.record import (
    AttemptHeader,
    MemoryRecorder,
    Progress,
    QuizAnswer,
    QuizRecorder,
    StoredAttempt,
)
from quizapp.quiz.results import REVIEW_FILTERS, Results, Tally
from quizapp.quiz.scoring import Feedback, OptionFeedback, scaled_score
from quizapp.quiz.session import (
    NavEntry,
    QuizClosed,
    QuizSession,
    SubmitCheck,
    TimeUp,
    UnreadableAnswer,
    load_results,
)

__all__ = [
    "KIND_GROUPS",
    "KIND_GROUP_LABELS",
    "REVIEW_FILTERS",
    "AttemptHeader",
    "AttemptPlan",
    "DomainQuota",
    "ExamProfile",
    "Feedback",
    "MemoryRecorder",
    "MisconceptionNote",
    "NavEntry",
    "Option",
    "OptionFeedback",
    "Progress",
    "Question",
    "QuizAnswer",
    "QuizClosed",
    "QuizRecorder",
    "QuizSession",
    "QuizSetup",
    "Results",
    "StoredAttempt",
    "SubmitCheck",
    "Tally",
    "TimeUp",
    "UnreadableAnswer",
    "built_in",
    "custom_exam",
    "default_profile",
    "load_results",
    "profile_by_name",
    "scaled_score",
]
