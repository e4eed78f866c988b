"""Built-in therapy plugin: adoptive cell therapy (CAR-T, TIL, TCR-T)."""
