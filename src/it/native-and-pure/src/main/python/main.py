"""A Spark job that needs native packages on the executors (pandas, pyarrow via mapInPandas) and a pure one from
the py-files zip (python-dateutil)."""
from pyspark.sql import SparkSession


def add_one(batches):
    import dateutil.relativedelta  # pure: from the py-files zip, on the executor
    step = dateutil.relativedelta.relativedelta(days=1).days
    from sklearn.preprocessing import FunctionTransformer  # native (scipy, numpy): from the environment archive
    identity = FunctionTransformer()
    for pdf in batches:  # pandas DataFrames built through pyarrow: from the environment archive
        pdf["v"] = identity.fit_transform(pdf[["v"]])["v"] + step
        yield pdf


spark = SparkSession.builder.appName("native-and-pure").getOrCreate()
df = spark.createDataFrame([(i,) for i in range(10)], "v long").repartition(2)
total = df.mapInPandas(add_one, schema="v long").groupBy().sum("v").collect()[0][0]
print("RESULT sum=%d" % total)
spark.stop()
