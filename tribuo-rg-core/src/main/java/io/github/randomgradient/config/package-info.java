/**
 * Shared configuration checks for this project's OLCUT {@code Configurable} components, and the one walk over provenance trees.
 */
package io.github.randomgradient.config;
