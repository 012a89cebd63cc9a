"""The Textual app: screens that call the core through `quizapp.api.Study`, never SQL."""
