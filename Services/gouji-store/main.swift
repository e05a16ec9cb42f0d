// gouji-store: placeholder entry point.
