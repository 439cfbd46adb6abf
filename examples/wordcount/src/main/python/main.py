"""Word count: the example application packaged by pybundle.

Run through target/pybundle/spark-submit.sh it counts words on Spark; the
tokenizing code runs on the executors, imported from the py-files zip, with the
regex package from the environment archive. Without pyspark it counts in plain
Python, which is handy for a quick check of the bundle.

Usage: main.py [text files...]   (no files: a built-in sample)
"""
import sys

from wordcount import text

SAMPLE = [
    "Spark runs the JVM and Python side by side",
    "the Python side needs its libraries on every node",
    "pybundle packs the Python side like a JAR packs the JVM side",
]


def read_lines(paths):
    lines = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            lines.extend(f.read().splitlines())
    return lines


def count_with_spark(lines):
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.appName("wordcount").getOrCreate()
    try:
        pairs = (
            spark.sparkContext.parallelize(lines, 2)
            .flatMap(text.words)
            .map(lambda word: (word, 1))
            .reduceByKey(lambda a, b: a + b)
            .collect()
        )
    finally:
        spark.stop()
    return dict(pairs)


def main(argv):
    lines = read_lines(argv) if argv else SAMPLE
    try:
        import pyspark  # noqa: F401
    except ImportError:
        engine, counts = "python", text.count(lines)
    else:
        engine, counts = "spark", count_with_spark(lines)
    print("engine: %s" % engine)
    for word, n in text.top(counts, 3):
        print("%s\t%d" % (word, n))


if __name__ == "__main__":
    main(sys.argv[1:])
