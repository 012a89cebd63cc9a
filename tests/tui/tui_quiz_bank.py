"""A small question bank over all four exam domains, and helpers to drive the quiz screens.

Data and helpers only (no tests): tests import it as `tui_quiz_bank` (see conftest.py).
Every kind a quiz shows is here: single choice, choose two, true/false
and computed; 16 questions, with only two in Exploratory Data Analysis so a 15-question exam
has to fill that domain's slots from the others (the core's note).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from textual.pilot import Pilot
from tui_support import dashboard_ready, make_app, until

from quizapp.bank.model import Choice, Item, Source
from quizapp.clock import FakeClock
from quizapp.quiz import Question
from quizapp.tui.app import QuizApp

DE, EDA, MOD, OPS = (
    "Data Engineering",
    "Exploratory Data Analysis",
    "Modeling",
    "Machine Learning Implementation and Operations",
)
SRC = Source("lecture-deep-learning-intro.txt", "1", "test")


def single(id: str, domain: str, topic: str, prompt: str, *choices: tuple[str, bool, str]) -> Item:
    return Item(
        id=id,
        kind="single_choice",
        bank="tui-quiz",
        source=SRC,
        topic=topic,
        domain=domain,
        difficulty="medium",
        prompt=prompt,
        choices=tuple(Choice(*c) for c in choices),
        choose=1,
    )


def two(id: str, domain: str, topic: str, prompt: str, *choices: tuple[str, bool, str]) -> Item:
    return Item(
        id=id,
        kind="multiple_response",
        bank="tui-quiz",
        source=SRC,
        topic=topic,
        domain=domain,
        difficulty="medium",
        prompt=prompt,
        choices=tuple(Choice(*c) for c in choices),
        choose=2,
    )


def statement(id: str, domain: str, topic: str, prompt: str, answer: bool, why: str) -> Item:
    return Item(
        id=id,
        kind="true_false",
        bank="tui-quiz",
        source=SRC,
        topic=topic,
        domain=domain,
        difficulty="easy",
        prompt=prompt,
        answer=answer,
        explanation=why,
    )


def computed(id: str, topic: str, family: str, prompt: str) -> Item:
    return Item(
        id=id,
        kind="computed",
        bank="tui-quiz",
        source=SRC,
        topic=topic,
        domain=MOD,
        difficulty="easy",
        prompt=prompt,
        family=family,
        scenario="restaurant",
    )


QUIZ_BANK: tuple[Item, ...] = (
    single(
        "de-sc-store",
        DE,
        "aws",
        "Where should a team keep a large training data set for SageMaker training jobs?",
        ("In an S3 bucket the job reads from.", True, "S3 is where SageMaker reads data."),
        ("On the notebook's local disk.", False, "Local disks vanish with the instance."),
        ("In the model artifact.", False, "Artifacts hold the trained model, not data."),
        ("In CloudWatch Logs.", False, "Logs are for monitoring, not data sets."),
    ),
    statement(
        "de-tf-shuffle",
        DE,
        "ml-basics",
        "Shuffling the training data between epochs helps gradient descent.",
        True,
        "Shuffled batches keep updates from following the order the data was stored in.",
    ),
    two(
        "de-mr-formats",
        DE,
        "aws",
        "Which two formats suit large tabular training data in S3? Choose two.",
        ("Parquet", True, "Columnar and compressed: fast to read."),
        ("RecordIO-protobuf", True, "SageMaker's own streaming format."),
        ("Screenshots of the table", False, "Images of tables are not data."),
        ("A Word document", False, "Documents are not a training format."),
    ),
    single(
        "eda-sc-scale",
        EDA,
        "ml-basics",
        "Why scale input features before training a neural network?",
        ("So no feature dominates the weighted sum by its units.", True, "Scale evens them."),
        ("To make the data set smaller.", False, "Scaling keeps every row."),
        ("To remove the need for a bias.", False, "The bias is still needed."),
        ("Because ReLU needs negative inputs.", False, "ReLU takes any input."),
    ),
    statement(
        "eda-tf-missing",
        EDA,
        "ml-basics",
        "Missing values can always be left in, because the network ignores them.",
        False,
        "A NaN input turns the weighted sum into NaN: fill or drop missing values first.",
    ),
    single(
        "mod-sc-relu",
        MOD,
        "activations",
        "What does ReLU output for an input of -3?",
        ("0", True, "ReLU is max(0, z): negative inputs give 0."),
        ("-3", False, "That is the identity, not ReLU."),
        ("3", False, "ReLU does not take the absolute value."),
        ("0.05", False, "That is a sigmoid-like squashing, not ReLU."),
    ),
    single(
        "mod-sc-loss",
        MOD,
        "losses",
        "Which loss suits a network that predicts a house price?",
        ("Mean squared error", True, "A regression loss for a number."),
        ("Categorical cross-entropy", False, "For classes, not prices."),
        ("Binary cross-entropy", False, "For yes/no outputs."),
        ("Hinge loss", False, "For margin classifiers."),
    ),
    two(
        "mod-mr-activations",
        MOD,
        "activations",
        "Which two activations squash any input into a bounded range? Choose two.",
        ("Sigmoid", True, "Outputs lie between 0 and 1."),
        ("Tanh", True, "Outputs lie between -1 and 1."),
        ("ReLU", False, "Unbounded above."),
        ("Linear", False, "Unbounded both ways."),
    ),
    two(
        "mod-mr-learning",
        MOD,
        "learning",
        "Which two does one gradient-descent step need? Choose two.",
        ("The gradient of the loss", True, "It gives the direction."),
        ("A learning rate", True, "It gives the step size."),
        ("The test set", False, "The test set is kept out of training."),
        ("A GPU", False, "A CPU computes the same step."),
        ("A softmax output", False, "Only classifiers use softmax."),
    ),
    statement(
        "mod-tf-bias",
        MOD,
        "weights-bias",
        "A bias lets a neuron output something other than zero when all its inputs are zero.",
        True,
        "z = w·x + b: with x = 0, z = b.",
    ),
    statement(
        "mod-tf-rate",
        MOD,
        "learning",
        "A larger learning rate always makes training converge faster.",
        False,
        "Too large a rate overshoots the minimum and can diverge.",
    ),
    computed(
        "mod-cp-sum", "weights-bias", "weighted_sum", "The restaurant neuron weighs a customer."
    ),
    computed("mod-cp-softmax", "activations", "softmax", "Turn the cuisine scores into odds."),
    single(
        "ops-sc-gpu",
        OPS,
        "aws",
        "Which instance family trains deep networks fastest?",
        ("GPU instances such as P3", True, "Thousands of parallel multiply-adds."),
        ("Burstable T3 instances", False, "For light, spiky loads."),
        ("Storage-optimised I3 instances", False, "Fast disks, no GPUs."),
        ("Memory-optimised R5 instances", False, "Lots of RAM, no GPUs."),
    ),
    statement(
        "ops-tf-frameworks",
        OPS,
        "frameworks",
        "SageMaker can train TensorFlow and PyTorch models with its managed containers.",
        True,
        "Both frameworks have managed SageMaker containers.",
    ),
    two(
        "ops-mr-deploy",
        OPS,
        "aws",
        "Which two let a trained SageMaker model serve predictions? Choose two.",
        ("A real-time endpoint", True, "Answers requests as they come."),
        ("Batch transform", True, "Predicts a whole data set offline."),
        ("A training job", False, "Training makes the model; it does not serve it."),
        ("An S3 lifecycle rule", False, "Lifecycle rules move or expire objects."),
    ),
)


def quiz_app(tmp_path: Path, clock: FakeClock | None = None, seed: int = 7) -> QuizApp:
    return make_app(tmp_path, QUIZ_BANK, clock=clock, seed=seed)


async def open_setup(pilot: Pilot, key: str = "q"):
    """From the dashboard to the set-up screen (q practice, e exam), banks loaded."""
    from quizapp.tui.screens.quiz_setup import QuizSetupScreen

    await dashboard_ready(pilot)
    await pilot.press(key)
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, QuizSetupScreen) and app.screen.data)
    return app.screen


async def settled(pilot: Pilot):
    """The quiz screen with every change back from the study thread."""
    from quizapp.tui.screens.quiz import QuizScreen

    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, QuizScreen) and not app.screen.inflight)
    return app.screen


async def choose_length(pilot: Pilot, setup, questions: int) -> None:
    """Pick the exam length on the set-up form: a built-in one, or custom with the count."""
    from quizapp.quiz import BUILT_IN

    lengths = [p.questions for p in BUILT_IN]
    setup.query_one("#profile").focus()
    index = lengths.index(questions) if questions in lengths else len(lengths)
    await pilot.press(*["down"] * index, "enter")
    if questions not in lengths:
        setup.query_one("#custom-count").focus()
        await pilot.press(*str(questions))


async def start_exam(pilot: Pilot, questions: int | None = None):
    """Open the exam set-up, choose the length (None: MLS-C01), start; the quiz screen."""
    setup = await open_setup(pilot, "e")
    if questions is not None:
        await choose_length(pilot, setup, questions)
    await pilot.press("s")
    return await settled(pilot)


async def start_practice(pilot: Pilot, questions: int | None = None):
    setup = await open_setup(pilot, "q")
    if questions is not None:
        setup.query_one("#count").focus()
        await pilot.press(*str(questions))
    await pilot.press("s")
    return await settled(pilot)


def right_keys(question: Question) -> list[str]:
    """The number keys of the right options, as shown."""
    return [str(d + 1) for d, o in enumerate(question.options) if o.correct]


def wrong_keys(question: Question) -> list[str]:
    """Keys for a wrong answer of the right size (one wrong pick among them)."""
    right = right_keys(question)
    wrong = [str(d + 1) for d, o in enumerate(question.options) if not o.correct]
    return [wrong[0], *right[1:]]


async def answer(pilot: Pilot, keys: Sequence[str]) -> None:
    for key in keys:
        await pilot.press(key)
        await settled(pilot)
