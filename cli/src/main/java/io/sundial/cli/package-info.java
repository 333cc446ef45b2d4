/** The sundial command line. */
package io.sundial.cli;
