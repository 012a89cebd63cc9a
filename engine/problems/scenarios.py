"""The story each problem is told in: the guide's three settings plus three from the lecture."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Setting:
    key: str
    system: str  # "a restaurant recommender"
    item: str  # what one example is: "a customer"
    noun: str  # the example without an article: "customer"
    features: tuple[str, ...]  # input signals, at least six
    positive: str  # what a sigmoid output near 1 means
    classes: tuple[str, ...]  # softmax classes, at least six
    examples: str  # plural of one training example
    regression: str  # what a linear output estimates


SETTINGS: dict[str, Setting] = {
    s.key: s
    for s in (
        Setting(
            "restaurant",
            "a restaurant recommender",
            "a customer",
            "customer",
            (
                "age score",
                "Italian rating",
                "time of day",
                "price sensitivity",
                "distance",
                "weekend flag",
            ),
            "the customer will enjoy the Italian place",
            ("Italian", "Mexican", "Chinese", "Thai", "Indian", "Greek"),
            "past customer visits",
            "the rating the customer will give",
        ),
        Setting(
            "cookie",
            "a cookie-quality assistant",
            "a batch of cookies",
            "batch",
            ("sugar", "butter", "chocolate chips", "eggs", "baking time", "oven heat"),
            "the batch is a keeper",
            ("chewy", "crispy", "cakey", "gooey", "crumbly", "burnt"),
            "recorded recipes",
            "the cookie quality score",
        ),
        Setting(
            "spam",
            "a spam filter",
            "an email",
            "email",
            (
                "exclamation marks",
                "contains FREE",
                "message length",
                "sender is a contact",
                "number of links",
                "ALL-CAPS words",
            ),
            "the email is spam",
            ("spam", "promotion", "personal", "work", "newsletter", "phishing"),
            "labelled emails",
            "the spam score",
        ),
        Setting(
            "pixels",
            "an image classifier",
            "an image",
            "image",
            (
                "pixel 1 brightness",
                "pixel 2 brightness",
                "pixel 3 brightness",
                "pixel 4 brightness",
                "pixel 5 brightness",
                "pixel 6 brightness",
            ),
            "the image shows a cat",
            ("cat", "dog", "bird", "car", "ship", "plane"),
            "labelled images",
            "the image's brightness score",
        ),
        Setting(
            "stocks",
            "a stock-movement model",
            "a trading day",
            "trading day",
            (
                "yesterday's return",
                "5-day momentum",
                "volume change",
                "volatility",
                "sector trend",
                "news sentiment",
            ),
            "the price will close higher",
            ("strong rise", "rise", "flat", "fall", "strong fall", "halted"),
            "trading days",
            "tomorrow's return (%)",
        ),
        Setting(
            "audio",
            "an audio tagger",
            "an audio clip",
            "clip",
            (
                "loudness",
                "pitch",
                "zero-crossing rate",
                "spectral centroid",
                "tempo",
                "silence ratio",
            ),
            "the clip contains speech",
            ("speech", "music", "noise", "silence", "laughter", "applause"),
            "audio clips",
            "the clip's loudness score",
        ),
    )
}
