"""Word counting helpers shipped to Spark executors in the py-files zip."""
