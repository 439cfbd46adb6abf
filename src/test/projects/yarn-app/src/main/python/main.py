"""Runs on YARN: pandas, pyarrow and scikit-learn from the environment archive on the executors, dateutil and the
project's package from the py-files zip, a Java class from the project's JAR on the driver; writes its result as JSON
to the HDFS path given as the first argument (in cluster mode the driver's output stays in the container)."""
import json
import os
import sys

import dateutil.relativedelta
from pyspark.sql import SparkSession

from yarnapp import shout


def on_executor(batches):
    import pandas
    import sklearn
    from sklearn.preprocessing import FunctionTransformer
    identity = FunctionTransformer()
    for pdf in batches:
        pdf["v"] = identity.fit_transform(pdf[["v"]])["v"] + dateutil.relativedelta.relativedelta(days=1).days
        pdf["pandas"] = pandas.__file__
        pdf["python"] = "%d.%d" % sys.version_info[:2]
        yield pdf


spark = SparkSession.builder.appName("yarn-app").getOrCreate()
sc = spark.sparkContext
df = spark.createDataFrame([(i,) for i in range(10)], "v long").repartition(2)
rows = df.mapInPandas(on_executor, schema="v long, pandas string, python string").collect()
result = {
    "deploy_mode": sc.getConf().get("spark.submit.deployMode"),
    "sum": sum(r.v for r in rows),
    "pandas": sorted({r.pandas for r in rows}),
    "executor_python": sorted({r.python for r in rows}),
    "java": sc._jvm.io.github.pybundle.it.Hello.hello("yarn"),
    "shout": shout("zip"),
    "driver_python": os.path.realpath(sys.executable),
}
sc.parallelize([json.dumps(result)], 1).saveAsTextFile(sys.argv[1])
print("RESULT " + json.dumps(result))
spark.stop()
