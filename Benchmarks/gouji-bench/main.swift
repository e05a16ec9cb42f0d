// gouji-bench: benchmark entry point. Each part adds its own bench and calls it here.
ParseBench.run()
