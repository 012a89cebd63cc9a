"""A small question bank over the four domains of each exam, and helpers to drive the quiz
screens.

Data and helpers only (no tests): tests import it as `tui_quiz_bank` (see conftest.py).
Every item has a domain in both exam profiles: MLA-C01 (the default, so also `Item.domain`)
and the retired MLS-C01. Practice quizzes show every kind here: single choice, choose two,
true/false and computed. An exam draws only its profile's kinds: the 15 single-choice and
"choose two" questions, of which only two are in ML Solution Monitoring, Maintenance, and
Security, so a 15-question MLA-C01 exam has to fill that domain's slots from the others (the
core's note).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input
from tui_support import dashboard_ready, make_app, until

from quizapp.bank.model import Choice, Item, Source
from quizapp.clock import FakeClock
from quizapp.quiz import Question
from quizapp.tui.app import QuizApp

# MLS-C01's domains (the guide's exam, retired)
DE, EDA, MOD, OPS = (
    "Data Engineering",
    "Exploratory Data Analysis",
    "Modeling",
    "Machine Learning Implementation and Operations",
)
# MLA-C01's domains (the current exam, the default profile)
PREP, DEV, DEPLOY, MONITOR = (
    "Data Preparation for ML",
    "ML Model Development",
    "Deployment and Orchestration of ML Workflows",
    "ML Solution Monitoring, Maintenance, and Security",
)
SRC = Source("lecture-deep-learning-intro.txt", "1", "test")
EXAM_KINDS = ("single_choice", "multiple_response")  # what the bank has of MLA-C01's kinds


def placed(mla: str, mls: str) -> dict:
    """An item's domain in each profile: `domain` is the default profile's (MLA-C01)."""
    return {"domain": mla, "domains": (("mla-c01", mla), ("mls-c01", mls))}


def single(
    id: str, domain: tuple[str, str], topic: str, prompt: str, *choices: tuple[str, bool, str]
) -> Item:
    return Item(
        id=id,
        kind="single_choice",
        bank="tui-quiz",
        source=SRC,
        topic=topic,
        **placed(*domain),
        difficulty="medium",
        prompt=prompt,
        choices=tuple(Choice(*c) for c in choices),
        choose=1,
    )


def two(
    id: str, domain: tuple[str, str], topic: str, prompt: str, *choices: tuple[str, bool, str]
) -> Item:
    return Item(
        id=id,
        kind="multiple_response",
        bank="tui-quiz",
        source=SRC,
        topic=topic,
        **placed(*domain),
        difficulty="medium",
        prompt=prompt,
        choices=tuple(Choice(*c) for c in choices),
        choose=2,
    )


def statement(
    id: str, domain: tuple[str, str], topic: str, prompt: str, answer: bool, why: str
) -> Item:
    return Item(
        id=id,
        kind="true_false",
        bank="tui-quiz",
        source=SRC,
        topic=topic,
        **placed(*domain),
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
        **placed(DEV, MOD),
        difficulty="easy",
        prompt=prompt,
        family=family,
        scenario="restaurant",
    )


QUIZ_BANK: tuple[Item, ...] = (
    single(
        "de-sc-store",
        (PREP, DE),
        "aws",
        "Where should a team keep a large training data set for SageMaker training jobs?",
        ("In an S3 bucket the job reads from.", True, "S3 is where SageMaker reads data."),
        ("On the notebook's local disk.", False, "Local disks vanish with the instance."),
        ("In the model artifact.", False, "Artifacts hold the trained model, not data."),
        ("In CloudWatch Logs.", False, "Logs are for monitoring, not data sets."),
    ),
    statement(
        "de-tf-shuffle",
        (PREP, DE),
        "ml-basics",
        "Shuffling the training data between epochs helps gradient descent.",
        True,
        "Shuffled batches keep updates from following the order the data was stored in.",
    ),
    two(
        "de-mr-formats",
        (PREP, DE),
        "aws",
        "Which two formats suit large tabular training data in S3? Choose two.",
        ("Parquet", True, "Columnar and compressed: fast to read."),
        ("RecordIO-protobuf", True, "SageMaker's own streaming format."),
        ("Screenshots of the table", False, "Images of tables are not data."),
        ("A Word document", False, "Documents are not a training format."),
    ),
    single(
        "eda-sc-scale",
        (PREP, EDA),
        "ml-basics",
        "Why scale input features before training a neural network?",
        ("So no feature dominates the weighted sum by its units.", True, "Scale evens them."),
        ("To make the data set smaller.", False, "Scaling keeps every row."),
        ("To remove the need for a bias.", False, "The bias is still needed."),
        ("Because ReLU needs negative inputs.", False, "ReLU takes any input."),
    ),
    statement(
        "eda-tf-missing",
        (PREP, EDA),
        "ml-basics",
        "Missing values can always be left in, because the network ignores them.",
        False,
        "A NaN input turns the weighted sum into NaN: fill or drop missing values first.",
    ),
    single(
        "mod-sc-relu",
        (DEV, MOD),
        "activations",
        "What does ReLU output for an input of -3?",
        ("0", True, "ReLU is max(0, z): negative inputs give 0."),
        ("-3", False, "That is the identity, not ReLU."),
        ("3", False, "ReLU does not take the absolute value."),
        ("0.05", False, "That is a sigmoid-like squashing, not ReLU."),
    ),
    single(
        "mod-sc-loss",
        (DEV, MOD),
        "losses",
        "Which loss suits a network that predicts a house price?",
        ("Mean squared error", True, "A regression loss for a number."),
        ("Categorical cross-entropy", False, "For classes, not prices."),
        ("Binary cross-entropy", False, "For yes/no outputs."),
        ("Hinge loss", False, "For margin classifiers."),
    ),
    two(
        "mod-mr-activations",
        (DEV, MOD),
        "activations",
        "Which two activations squash any input into a bounded range? Choose two.",
        ("Sigmoid", True, "Outputs lie between 0 and 1."),
        ("Tanh", True, "Outputs lie between -1 and 1."),
        ("ReLU", False, "Unbounded above."),
        ("Linear", False, "Unbounded both ways."),
    ),
    two(
        "mod-mr-learning",
        (DEV, MOD),
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
        (DEV, MOD),
        "weights-bias",
        "A bias lets a neuron output something other than zero when all its inputs are zero.",
        True,
        "z = w·x + b: with x = 0, z = b.",
    ),
    statement(
        "mod-tf-rate",
        (DEV, MOD),
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
        (DEV, OPS),
        "aws",
        "Which instance family trains deep networks fastest?",
        ("GPU instances such as P3", True, "Thousands of parallel multiply-adds."),
        ("Burstable T3 instances", False, "For light, spiky loads."),
        ("Storage-optimised I3 instances", False, "Fast disks, no GPUs."),
        ("Memory-optimised R5 instances", False, "Lots of RAM, no GPUs."),
    ),
    statement(
        "ops-tf-frameworks",
        (DEV, OPS),
        "frameworks",
        "SageMaker can train TensorFlow and PyTorch models with its managed containers.",
        True,
        "Both frameworks have managed SageMaker containers.",
    ),
    two(
        "ops-mr-deploy",
        (DEPLOY, OPS),
        "aws",
        "Which two let a trained SageMaker model serve predictions? Choose two.",
        ("A real-time endpoint", True, "Answers requests as they come."),
        ("Batch transform", True, "Predicts a whole data set offline."),
        ("A training job", False, "Training makes the model; it does not serve it."),
        ("An S3 lifecycle rule", False, "Lifecycle rules move or expire objects."),
    ),
    single(
        "prep-sc-wrangler",
        (PREP, EDA),
        "aws",
        "Which SageMaker tool explores and transforms tabular data through a visual interface?",
        ("SageMaker Data Wrangler", True, "It imports, explores and transforms data visually."),
        ("SageMaker Model Monitor", False, "It watches deployed models, not raw data."),
        ("SageMaker Neo", False, "Neo compiles models for target hardware."),
        ("Amazon Macie", False, "Macie finds sensitive data; it does not transform it."),
    ),
    single(
        "dev-sc-tuning",
        (DEV, MOD),
        "training-config",
        "Which SageMaker feature searches for the best hyperparameters by running many jobs?",
        ("Automatic model tuning", True, "It runs training jobs over a hyperparameter range."),
        ("Model Monitor", False, "It watches a deployed model's inputs and outputs."),
        ("Ground Truth", False, "Ground Truth labels data."),
        ("Batch transform", False, "Batch transform predicts; it does not train."),
    ),
    single(
        "dep-sc-serverless",
        (DEPLOY, OPS),
        "aws",
        "Traffic to a model is idle for hours, then comes in short bursts. Which inference "
        "option costs least while idle?",
        ("Serverless Inference", True, "It scales to zero between bursts."),
        ("A real-time endpoint on a GPU instance", False, "It is billed while idle."),
        ("Batch transform", False, "Batch transform does not answer requests as they come."),
        ("A training job", False, "Training jobs do not serve predictions."),
    ),
    single(
        "dep-sc-pipelines",
        (DEPLOY, OPS),
        "aws",
        "Which service runs processing, training, evaluation and model registration as one "
        "repeatable workflow?",
        ("SageMaker Pipelines", True, "A pipeline chains the steps of an ML workflow."),
        ("CloudWatch alarms", False, "Alarms watch metrics; they do not run workflows."),
        ("Amazon Macie", False, "Macie classifies sensitive data."),
        ("An S3 lifecycle rule", False, "Lifecycle rules move or expire objects."),
    ),
    single(
        "mon-sc-drift",
        (MONITOR, OPS),
        "aws",
        "Which SageMaker feature compares live inference data with a training baseline to "
        "detect drift?",
        ("SageMaker Model Monitor", True, "It checks captured data against a baseline."),
        ("SageMaker Ground Truth", False, "Ground Truth labels data."),
        ("SageMaker Autopilot", False, "Autopilot builds models automatically."),
        ("SageMaker Neo", False, "Neo compiles models for target hardware."),
    ),
    two(
        "mon-mr-security",
        (MONITOR, OPS),
        "aws",
        "Which two protect a training data set kept in S3? Choose two.",
        ("Encrypt it with SSE-KMS", True, "Encryption at rest with keys you control."),
        ("A bucket policy of least privilege", True, "Only the roles that need it read it."),
        ("A public-read ACL", False, "Anyone could read the data."),
        ("Access keys in the notebook", False, "Hard-coded keys leak; use IAM roles."),
    ),
)
EXAM_BANK = tuple(i for i in QUIZ_BANK if i.kind in EXAM_KINDS)  # what an exam may draw


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
    await pilot.pause()
    return app.screen


async def to_kind(pilot: Pilot, screen, kind: str) -> None:
    """Move (n, from outside any answer box) to the first question of `kind`."""
    for _ in range(screen.view.total):
        if screen.view.question.kind == kind:
            return
        if isinstance(pilot.app.focused, Input):
            await pilot.press("escape")  # out of the box (escape elsewhere leaves the quiz)
        await pilot.press("n")
        await settled(pilot)
    raise AssertionError(f"no {kind} question in this attempt")


async def open_results(pilot: Pilot):
    """The results of the first finished attempt in the exam set-up's list."""
    from textual.widgets import OptionList

    from quizapp.tui.screens.results import ResultsScreen

    setup = await open_setup(pilot, "e")
    attempts = setup.query_one("#attempts", OptionList)
    await pilot.press("r")
    ids = [attempts.get_option_at_index(i).id or "" for i in range(attempts.option_count)]
    attempts.highlighted = next(i for i, oid in enumerate(ids) if oid.startswith("review:"))
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, ResultsScreen))
    await pilot.pause()
    return pilot.app.screen


async def choose_exam(pilot: Pilot, setup, code: str) -> None:
    """Pick the exam (profile) by its code on the set-up form, by keyboard."""
    codes = [p.code for p in setup.profiles]
    radio = setup.query_one("#profile")
    radio.focus()
    steps = codes.index(code) - radio.pressed_index
    await pilot.press(*(["down"] * steps if steps >= 0 else ["up"] * -steps), "enter")
    await pilot.pause()


async def choose_length(pilot: Pilot, setup, questions: int) -> None:
    """Pick the length of the chosen exam: full, a shorter one, or custom with the count."""
    from quizapp.tui.screens.quiz_setup import lengths_of

    lengths = [p.questions for p in lengths_of(setup.profile)]
    radio = setup.query_one("#length")
    radio.focus()
    index = lengths.index(questions) if questions in lengths else len(lengths)
    await pilot.press(*["down"] * (index - max(0, radio.pressed_index)), "enter")
    if questions not in lengths:
        box = setup.query_one("#custom-count")
        box.focus()
        await pilot.press(*["backspace"] * len(box.value), *str(questions))


async def start_exam(pilot: Pilot, questions: int | None = None, code: str | None = None):
    """Open the exam set-up, choose the exam (None: the default, MLA-C01) and the length
    (None: full), start; the quiz screen."""
    setup = await open_setup(pilot, "e")
    if code is not None:
        await choose_exam(pilot, setup, code)
    if questions is not None:
        await choose_length(pilot, setup, questions)
    await pilot.press("s")
    return await settled(pilot)


async def start_practice(
    pilot: Pilot, questions: int | None = None, kinds: Sequence[str] | None = None
):
    """Open the practice set-up, type the count, tick only `kinds` (kind groups: "choice",
    "true_false", ...; None: all), start; the quiz screen."""
    from textual.widgets import Checkbox

    setup = await open_setup(pilot, "q")
    if questions is not None:
        setup.query_one("#count").focus()
        await pilot.press(*str(questions))
    if kinds is not None:
        for box in setup.query(Checkbox):
            box.value = (box.id or "").removeprefix("kind-") in kinds
        await pilot.pause()
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
