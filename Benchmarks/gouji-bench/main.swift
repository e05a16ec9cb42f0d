// gouji-bench: placeholder entry point.
