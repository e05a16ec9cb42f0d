// gouji: placeholder entry point.
