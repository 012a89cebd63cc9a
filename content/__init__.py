"""Question banks shipped with quizapp, as TOML data files (read with importlib.resources)."""
