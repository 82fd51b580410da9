package dev.hedge.sos;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A member whose classpath has no Apache Arrow: hedge's classes are loaded again in a class loader that sees the
 * test classpath minus every Arrow jar; the node starts and serves, and only using the SoS fails, with a typed error.
 */
class SosWithoutArrowTests {

	private static URLClassLoader withoutArrow() throws Exception {
		String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
		List<URL> urls = new ArrayList<>();
		int arrowJars = 0;
		for (String entry : classpath.split(File.pathSeparator)) {
			if (entry.isBlank()) {
				continue;
			}
			if (entry.contains("org/apache/arrow") || entry.contains("org\\apache\\arrow")) {
				arrowJars++;
				continue;
			}
			urls.add(Path.of(entry).toUri().toURL());
		}
		assertThat(arrowJars).as("Arrow jars removed from the classpath").isGreaterThanOrEqualTo(3);
		return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
	}

	@Test
	void theFactoryReportsWhatIsMissing() {
		ClassLoader empty = new ClassLoader(null) {
		};
		assertThat(SpillOverFactory.missingArrow(empty)).contains("org.apache.arrow.memory.RootAllocator")
			.contains("arrow-memory-netty");
		assertThat(SpillOverFactory.missingArrow(SosWithoutArrowTests.class.getClassLoader())).isNull();
	}

	@Test
	void aNodeWithoutArrowStartsAndTheSosRefusesUseWithATypedError() throws Exception {
		Path database = SosTesting.tempDirectory("no-arrow-db");
		// Not closed: the isolated node's Netty threads wind down after close() and still load classes through it.
		URLClassLoader loader = withoutArrow();
		{
			assertThatExceptionOfType(ClassNotFoundException.class)
				.isThrownBy(() -> loader.loadClass("org.apache.arrow.memory.RootAllocator"));
			Class<?> storeType = loader.loadClass("dev.hedge.store.HedgeStore");
			Object store = loader.loadClass("dev.hedge.store.jdbc.JdbcHedgeStore")
				.getMethod("embedded", Path.class, boolean.class)
				.invoke(null, database, true);
			Class<?> nodeType = loader.loadClass("dev.hedge.HedgeNode");
			Object builder = nodeType.getMethod("builder", String.class).invoke(null, "g-no-arrow");
			Class<?> builderType = builder.getClass();
			builderType.getMethod("store", storeType, boolean.class).invoke(builder, store, true);
			builderType.getMethod("address", String.class).invoke(builder, "127.0.0.1");
			builderType.getMethod("listen", String.class, int.class).invoke(builder, "127.0.0.1", 0);
			Object node = builderType.getMethod("build").invoke(builder);
			nodeType.getMethod("start").invoke(node);
			try {
				assertThat(nodeType.getMethod("isRunning").invoke(node)).isEqualTo(true);
				Object sos = nodeType.getMethod("spillOver").invoke(node);
				Class<?> sosType = loader.loadClass("dev.hedge.sos.SpillOver");
				assertThat(sosType.getMethod("isAvailable").invoke(sos)).isEqualTo(false);
				Method open = sosType.getMethod("store", String.class);
				assertThatExceptionOfType(InvocationTargetException.class).isThrownBy(() -> open.invoke(sos, "x"))
					.satisfies((ex) -> {
						assertThat(ex.getCause().getClass().getName())
							.isEqualTo("dev.hedge.sos.SosUnavailableException");
						assertThat(ex.getCause().getMessage()).contains("Apache Arrow is not on the classpath");
					});
				assertThat(nodeType.getMethod("services").invoke(node).toString()).isNotEmpty();
			}
			finally {
				nodeType.getMethod("close").invoke(node);
			}
		}
	}

}
