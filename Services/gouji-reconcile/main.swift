// gouji-reconcile: placeholder entry point.
