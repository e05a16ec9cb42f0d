// gouji-ingest: placeholder entry point.
