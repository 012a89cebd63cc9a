"""Anki and CSV in and out (issue 15): plain functions and dataclasses, no Textual, no SQL.

`anki_export` writes bank items as an Anki package (genanki); the import side reads Anki
packages and CSV files into learner banks.
"""
