/**
 * Data files and their checks, below every command and engine: {@link io.github.randomgradient.data.IdxFile}
 * reads and checks an IDX file end to end, and {@link io.github.randomgradient.data.DataLoading} loads a
 * Tribuo data source into a dataset by one policy (all-zero images kept, every pixel of an IDX image
 * named), so {@code experiment}, {@code sweep}, its workers and {@code report} see the same data.
 * Failures are {@link io.github.randomgradient.data.DataException}s: user errors (exit status 2) whose
 * one-line message names the file and what is wrong with it.
 */
package io.github.randomgradient.data;
