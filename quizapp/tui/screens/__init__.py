"""The app's screens: dashboard, flashcard review, computed practice, help and dialogs."""
