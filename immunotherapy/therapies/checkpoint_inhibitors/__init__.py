"""Built-in therapy plugin: immune checkpoint inhibitors."""
