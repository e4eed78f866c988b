"""Built-in therapy plugin: cancer vaccines, preventive and therapeutic."""
