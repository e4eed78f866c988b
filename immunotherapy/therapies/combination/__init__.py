"""Built-in therapy plugin: combination therapies."""
