/**
 * The sweep as an Apache Spark job: {@link io.github.randomgradient.spark.SparkEngine}, found by the
 * {@code sweep} command's {@code --engine spark} through {@link java.util.ServiceLoader}.
 */
package io.github.randomgradient.spark;
