"""The Textual app: screens that call the core's use cases (`quizapp.collection.Collection`)
on the study thread, never SQL."""
