NAME = "cluster"
