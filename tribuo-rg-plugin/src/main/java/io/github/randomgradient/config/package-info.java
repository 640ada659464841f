/**
 * Shared configuration checks for this project's OLCUT {@code Configurable} components.
 */
package io.github.randomgradient.config;
