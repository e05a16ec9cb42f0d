// gouji-parse: placeholder entry point.
