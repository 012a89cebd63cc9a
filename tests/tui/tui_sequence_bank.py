"""A small bank of ordering and matching questions (and one single choice), and helpers to
play them on the quiz screen without the set-up form.

Data and helpers only (no tests): tests load it by path as `tui_sequence_bank`
(`load_helper` below does it once per process).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from textual.pilot import Pilot
from tui_quiz_bank import settled
from tui_support import dashboard_ready, make_app

from quizapp.bank.model import Choice, Item, Pair, Ref, Source, Step
from quizapp.clock import FakeClock
from quizapp.quiz import Question, QuizSetup, custom_exam, default_profile
from quizapp.tui.app import QuizApp

SRC = Source("eli5-ch1-neural-networks.txt", "1.2", "learning-process")
DEV = "ML Model Development"
DOMAINS = (("mla-c01", DEV), ("mls-c01", "Modeling"))

ORDERING = Item(
    id="sq-ord-iteration",
    kind="ordering",
    bank="tui-seq",
    source=SRC,
    topic="learning",
    domain=DEV,
    domains=DOMAINS,
    difficulty="easy",
    prompt=(
        "A network is trained with mini-batches. Put the steps of one training iteration in "
        "order, starting when a new mini-batch is taken from the training set."
    ),
    steps=(
        Step(
            "Run the mini-batch through the network to get predictions",
            "The forward pass comes first: there is nothing to judge without predictions.",
        ),
        Step(
            "Measure how far the predictions are from the labels with the loss function",
            "The loss needs the predictions; it condenses the batch's error into one number.",
        ),
        Step(
            "Use backpropagation to find the gradient of the loss for every weight",
            "Gradients are derivatives of the loss, so the loss must exist first.",
        ),
        Step(
            "Let the optimizer change every weight using its gradient and the learning rate",
            "The optimizer needs the gradients before it can move each weight.",
        ),
        Step(
            "Take the next mini-batch and start again",
            "Only after the update does the next iteration begin, with the improved weights.",
        ),
    ),
    refs=(
        Ref(
            "Train a model with Amazon SageMaker",
            "https://docs.aws.amazon.com/sagemaker/latest/dg/how-it-works-training.html",
        ),
    ),
)

MATCHING = Item(
    id="sq-match-outputs",
    kind="matching",
    bank="tui-seq",
    source=SRC,
    topic="activations",
    domain=DEV,
    domains=DOMAINS,
    difficulty="easy",
    prompt="Match each activation function with the range of values it outputs.",
    pairs=(
        Pair("Sigmoid", "One value strictly between 0 and 1", "1 / (1 + e^-z) never reaches 0."),
        Pair("tanh", "One value strictly between −1 and 1", "tanh is a sigmoid stretched."),
        Pair("ReLU", "Zero or any positive number, with no upper limit", "max(0, z)."),
        Pair(
            "Softmax",
            "Several values, each between 0 and 1, that add up to exactly 1",
            "It exponentiates the scores and divides by their sum.",
        ),
    ),
    refs=(
        Ref(
            "Activation functions (Keras)",
            "https://keras.io/api/layers/activations/",
        ),
    ),
)

SINGLE = Item(
    id="sq-sc-relu",
    kind="single_choice",
    bank="tui-seq",
    source=SRC,
    topic="activations",
    domain=DEV,
    domains=DOMAINS,
    difficulty="easy",
    prompt="What does ReLU output for an input of -3?",
    choices=(
        Choice("0", True, "ReLU is max(0, z): negative inputs give 0."),
        Choice("-3", False, "That is the identity, not ReLU."),
        Choice("3", False, "ReLU does not take the absolute value."),
    ),
    choose=1,
)

SEQUENCE_BANK: tuple[Item, ...] = (ORDERING, MATCHING, SINGLE)


def sequence_app(
    tmp_path: Path, items: Sequence[Item] = SEQUENCE_BANK, clock: FakeClock | None = None
) -> QuizApp:
    return make_app(tmp_path, items, clock=clock)


def practice(*kinds: str, seed: int = 5) -> QuizSetup:
    """Practice on the given kind groups (ordering, matching, choice ...), every question."""
    return QuizSetup.practice(10, kinds=kinds or ("ordering", "matching"), seed=seed)


def exam(count: int = 2, *, kinds: Iterable[str] = ("ordering", "matching")) -> QuizSetup:
    """A short exam of the default profile (MLA-C01: it has ordering and matching)."""
    return QuizSetup.exam(custom_exam(count, default_profile()), kinds=kinds, seed=5)


async def start_quiz(pilot: Pilot, setup: QuizSetup):
    """From the dashboard straight to the quiz screen of a new attempt (as the set-up form
    starts one); returns the screen, settled."""
    from quizapp.tui.screens.quiz import QuizScreen, read_view

    await dashboard_ready(pilot)
    app = pilot.app

    def begin(study):
        session = study.quizzes.start(setup)
        return session.attempt_id, read_view(session)

    attempt_id, view = await app.runner.call(begin)
    app.push_screen(QuizScreen(attempt_id, view))
    return await settled(pilot)


def right_letters(question: Question) -> str:
    """The letters of the right order (ordering) or of item 1's, 2's ... description."""
    return "".join(question.option(i).label for i in question.key)


def wrong_letters(question: Question) -> str:
    """A complete answer with the first two swapped."""
    right = right_letters(question)
    return right[1] + right[0] + right[2:]


async def type_in(pilot: Pilot, text: str, enter: bool = True) -> None:
    await pilot.press(*text, *(["enter"] if enter else []))
    await settled(pilot)
