"""Java and Python together on Spark: a Java class and a Maven Central JAR called from the driver through
spark._jvm, a Java UDF and a pandas UDF on the executors, all on the Python shipped in the environment archive."""
import os
import sys

import pandas as pd
from pyspark.sql import SparkSession
from pyspark.sql.functions import pandas_udf

spark = SparkSession.builder.appName("java-and-python").getOrCreate()
jvm = spark.sparkContext._jvm
print("DRIVER java=%s" % jvm.io.github.pybundle.examples.Greeter.greet("PySpark"))
print("DRIVER commons-csv delimiter=%s" % jvm.org.apache.commons.csv.CSVFormat.DEFAULT.getDelimiterString())
print("DRIVER python=%d.%d executable=%s" % (sys.version_info[0], sys.version_info[1], sys.executable))

# The project's Java UDF, run by the executors' JVMs.
spark.udf.registerJavaFunction("csv_quote", "io.github.pybundle.examples.CsvQuote", "string")


@pandas_udf("string")
def python_of(values: pd.Series) -> pd.Series:
    # Runs in the executors' Python workers: which Python, and where it was started from.
    here = "%d.%d|%s|pandas %s" % (sys.version_info[0], sys.version_info[1], os.path.abspath(sys.executable),
                                   pd.__version__)
    return values.map(lambda _: here)


df = spark.createDataFrame([("plain",), ("with,comma",)], "s string").repartition(2)
for row in sorted(df.selectExpr("s", "csv_quote(s) AS quoted").withColumn("python", python_of("s")).collect()):
    print("EXECUTOR value=%s quoted=%s python=%s" % (row.s, row.quoted, row.python))
spark.stop()
