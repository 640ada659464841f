/**
 * Command lines in Tribuo's style (OLCUT {@code Options}, configs given with {@code -c}):
 * {@code experiment} trains and evaluates every configured trainer for every seed and writes run
 * directories and a comparison report; {@code report} rebuilds a report from run directories or
 * saved models; {@code audit} prints what a saved model was trained with; {@code export-data}
 * writes configured data sources as Tribuo protobuf datasets for Tribuo's own command lines.
 * {@link io.github.randomgradient.cli.TribuoRg} dispatches between them.
 */
package io.github.randomgradient.cli;
