# Loads the shipped model on the executors (SparkFiles) with warnings as errors: a model pickled with another
# scikit-learn would fail the job with InconsistentVersionWarning.
import pickle
import warnings

from pyspark import SparkFiles
from pyspark.sql import SparkSession


def predict(rows):
    import sklearn
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with open(SparkFiles.get("clf.pkl"), "rb") as f:
            clf = pickle.load(f)
    for r in rows:
        yield int(clf.predict([[r]])[0]), sklearn.__version__


spark = SparkSession.builder.appName("models-exec").getOrCreate()
out = spark.sparkContext.parallelize(range(10), 2).mapPartitions(predict).collect()
print("RESULT positives=%d sklearn=%s" % (sum(p for p, _ in out), ",".join(sorted({v for _, v in out}))))
spark.stop()
