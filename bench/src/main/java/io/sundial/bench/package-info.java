/** Benchmarks and data generators. */
package io.sundial.bench;
