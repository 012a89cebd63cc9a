"""The story each problem is told in: the guide's three settings plus three from the lecture.

Every input feature declares its unit and its range (and the decimals its values are drawn
with), so a generated input always makes sense for the feature it is shown as: flags are 0 or
1, ratings 1 to 5, pixel brightness 0 to 1, counts never negative, times within a day.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Feature:
    """One input signal: its name, unit and the closed range its values are drawn from."""

    name: str
    unit: str
    lo: float
    hi: float
    decimals: int  # the most decimals a value is drawn with (0: whole numbers)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.unit})"

    @property
    def scale(self) -> int:
        """Powers of ten in the largest value: weights are divided by 10^scale."""
        top = max(abs(self.lo), abs(self.hi))
        return 0 if top <= 10 else 1 if top <= 100 else 2

    def admits(self, value: float) -> bool:
        """Whether value lies in the range on the declared decimal grid."""
        on_grid = abs(round(value, self.decimals) - value) <= 1e-9 * max(1.0, abs(value))
        return self.lo - 1e-12 <= value <= self.hi + 1e-12 and on_grid


def flag(name: str) -> Feature:
    return Feature(name, "0 = no, 1 = yes", 0, 1, 0)


# The inputs of forward_pass and backprop: nameless, standardised features (z-scores).
STANDARDISED = Feature("standardised feature", "z-score", -3, 3, 1)


@dataclass(frozen=True, slots=True)
class Setting:
    key: str
    system: str  # "a restaurant recommender"
    item: str  # what one example is: "a customer"
    noun: str  # the example without an article: "customer"
    inputs: tuple[Feature, ...]  # input signals, at least six
    positive: str  # what a sigmoid output near 1 means
    classes: tuple[str, ...]  # softmax classes, at least six
    examples: str  # plural of one training example
    regression: str  # what a linear output estimates
    dataset: tuple[int, int]  # a plausible training-set size: at least, at most

    @property
    def features(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.inputs)


SETTINGS: dict[str, Setting] = {
    s.key: s
    for s in (
        Setting(
            "restaurant",
            "a restaurant recommender",
            "a customer",
            "customer",
            (
                Feature("age", "years", 18, 80, 0),
                Feature("Italian rating", "stars, 1 to 5", 1, 5, 0),
                Feature("time of day", "hours after midnight", 0, 23.5, 1),
                Feature("price sensitivity", "0 to 1", 0, 1, 2),
                Feature("distance", "km", 0, 10, 1),
                flag("weekend flag"),
            ),
            "the customer will enjoy the Italian place",
            ("Italian", "Mexican", "Chinese", "Thai", "Indian", "Greek"),
            "past customer visits",
            "the rating the customer will give",
            (1_000, 500_000),
        ),
        Setting(
            "cookie",
            "a cookie-quality assistant",
            "a batch of cookies",
            "batch",
            (
                Feature("sugar", "cups", 0, 2, 2),
                Feature("butter", "cups", 0, 2, 2),
                Feature("chocolate chips", "cups", 0, 3, 2),
                Feature("eggs", "count", 0, 4, 0),
                Feature("baking time", "minutes", 6, 20, 0),
                Feature("oven heat", "°C", 150, 250, 0),
            ),
            "the batch is a keeper",
            ("chewy", "crispy", "cakey", "gooey", "crumbly", "burnt"),
            "recorded recipes",
            "the cookie quality score",
            (200, 20_000),
        ),
        Setting(
            "spam",
            "a spam filter",
            "an email",
            "email",
            (
                Feature("exclamation marks", "count", 0, 20, 0),
                flag("contains FREE"),
                Feature("message length", "words", 10, 500, 0),
                flag("sender is a contact"),
                Feature("number of links", "count", 0, 10, 0),
                Feature("ALL-CAPS words", "count", 0, 30, 0),
            ),
            "the email is spam",
            ("spam", "promotion", "personal", "work", "newsletter", "phishing"),
            "labelled emails",
            "the spam score",
            (5_000, 2_000_000),
        ),
        Setting(
            "pixels",
            "an image classifier",
            "an image",
            "image",
            tuple(
                Feature(f"pixel {k} brightness", "0 = black, 1 = white", 0, 1, 2)
                for k in range(1, 7)
            ),
            "the image shows a cat",
            ("cat", "dog", "bird", "car", "ship", "plane"),
            "labelled images",
            "the image's brightness score",
            (10_000, 1_200_000),
        ),
        Setting(
            "stocks",
            "a stock-movement model",
            "a trading day",
            "trading day",
            (
                Feature("yesterday's return", "%", -5, 5, 1),
                Feature("5-day momentum", "%", -10, 10, 1),
                Feature("volume change", "%", -50, 50, 0),
                Feature("volatility", "%", 0, 5, 1),
                Feature("sector trend", "%", -3, 3, 1),
                Feature("news sentiment", "−1 to 1", -1, 1, 2),
            ),
            "the price will close higher",
            ("strong rise", "rise", "flat", "fall", "strong fall", "halted"),
            "trading days",
            "tomorrow's return (%)",
            (250, 10_000),
        ),
        Setting(
            "audio",
            "an audio tagger",
            "an audio clip",
            "clip",
            (
                Feature("loudness", "dB below full scale", -60, 0, 0),
                Feature("pitch", "kHz", 0.1, 2, 2),
                Feature("zero-crossing rate", "0 to 1", 0, 1, 2),
                Feature("spectral centroid", "kHz", 0.5, 8, 1),
                Feature("tempo", "beats per minute", 40, 200, 0),
                Feature("silence ratio", "0 to 1", 0, 1, 2),
            ),
            "the clip contains speech",
            ("speech", "music", "noise", "silence", "laughter", "applause"),
            "audio clips",
            "the clip's loudness score",
            (1_000, 500_000),
        ),
    )
}
