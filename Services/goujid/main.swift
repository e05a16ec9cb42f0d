// goujid: placeholder entry point.
