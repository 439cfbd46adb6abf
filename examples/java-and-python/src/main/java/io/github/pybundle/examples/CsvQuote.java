package io.github.pybundle.examples;

import org.apache.commons.csv.CSVFormat;
import org.apache.spark.sql.api.java.UDF1;

/**
 * A Java UDF that runs on the executors: quotes a value as one CSV field with Apache Commons CSV, a runtime dependency
 * Spark does not have, so the executors can only load it when pybundle ships it with {@code --jars}.
 */
public final class CsvQuote implements UDF1<String, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String call(String value) {
        return CSVFormat.DEFAULT.format(value);
    }
}
