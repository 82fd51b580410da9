package dev.hedge.testsupport;

import java.nio.file.Path;

/**
 * A fresh directory for the embedded store, created for one test class by {@link EmbeddedDatabaseExtension} and
 * deleted after it.
 *
 * @param directory the directory the embedded database files go to
 */
public record EmbeddedTestDatabase(Path directory) {

}
