"""An example out-of-tree therapy plugin: oncolytic virus therapy. Core code never imports it."""
