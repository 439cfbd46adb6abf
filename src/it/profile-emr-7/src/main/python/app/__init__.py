NAME = "emr"
