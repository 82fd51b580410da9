package dev.hedge.spring.autoconfigure;

import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.beans.BeanUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata the build generates ({@code META-INF/spring-configuration-metadata.json}, which IDEs
 * read) documents every {@code hedge.*} property {@link HedgeProperties} binds, each with a description, plus the
 * management keys hedge adds (health switch, endpoint access).
 */
class HedgeConfigurationMetadataTests {

	@Test
	void everyBoundHedgePropertyIsDocumented() throws IOException {
		Map<String, JsonNode> documented = hedgeMetadata();
		Set<String> bound = new TreeSet<>();
		collect(HedgeProperties.class, "hedge", bound);

		assertThat(bound).as("keys found by introspecting HedgeProperties").contains("hedge.enabled", "hedge.group",
				"hedge.store", "hedge.node.address", "hedge.election.lease-duration",
				"hedge.membership.heartbeat-interval", "hedge.spanner.lock-table", "hedge.spanner.log-table",
				"hedge.spanner.initialize-schema", "hedge.embedded.path", "hedge.semaphores");
		Set<String> documentedHedgeKeys = new TreeSet<>(documented.keySet());
		documentedHedgeKeys.removeIf((name) -> !name.startsWith("hedge."));
		assertThat(documentedHedgeKeys).isEqualTo(bound);
		assertThat(documented.values()).allSatisfy((property) -> assertThat(property.path("description").asText())
			.as("description of %s", property.get("name").asText())
			.isNotBlank());
	}

	/**
	 * The README's configuration table lists every documented {@code hedge.*} key with the metadata's default, so it
	 * cannot fall behind the code.
	 */
	@Test
	void readmeConfigurationTableListsEveryKeyWithItsDefault() throws IOException {
		Path readme = Path.of("..", "README.md");
		assertThat(readme).exists();
		Map<String, String> rows = new TreeMap<>();
		Matcher row = Pattern.compile("(?m)^\\| `(hedge\\.[^`]+)` \\| ([^|]*) \\|").matcher(Files.readString(readme));
		while (row.find()) {
			rows.put(row.group(1), row.group(2).strip());
		}
		for (JsonNode property : hedgeMetadata().values()) {
			String name = property.get("name").asText();
			if (!name.startsWith("hedge.")) {
				continue;
			}
			String key = "hedge.semaphores".equals(name) ? "hedge.semaphores.<name>.limit" : name;
			assertThat(rows).as("README configuration table").containsKey(key);
			JsonNode value = property.get("defaultValue");
			String expected = (value == null) ? "—" : "`" + value.asText() + "`";
			assertThat(rows.get(key)).as("README default of %s", key).isEqualTo(expected);
		}
	}

	@Test
	void managementKeysOfTheActuatorSupportAreDocumented() throws IOException {
		Map<String, JsonNode> documented = hedgeMetadata();
		assertThat(documented).containsKeys("management.health.hedge.enabled", "management.endpoint.hedge.access");
		assertThat(documented.get("management.health.hedge.enabled").get("defaultValue").asBoolean()).isTrue();
		assertThat(documented.get("management.health.hedge.enabled").get("type").asText())
			.isEqualTo("java.lang.Boolean");
	}

	/** The properties of the metadata file that describes {@link HedgeProperties}, by name. */
	private static Map<String, JsonNode> hedgeMetadata() throws IOException {
		ObjectMapper json = new ObjectMapper();
		for (URL url : Collections.list(HedgeConfigurationMetadataTests.class.getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json"))) {
			JsonNode metadata;
			try (InputStream in = url.openStream()) {
				metadata = json.readTree(in);
			}
			boolean ours = false;
			for (JsonNode group : metadata.path("groups")) {
				ours |= HedgeProperties.class.getName().equals(group.path("type").asText());
			}
			if (ours) {
				Map<String, JsonNode> properties = new TreeMap<>();
				metadata.path("properties").forEach((property) -> properties.put(property.get("name").asText(), property));
				return properties;
			}
		}
		throw new AssertionError("no generated metadata for " + HedgeProperties.class.getName() + " on the classpath");
	}

	/**
	 * The keys a {@code @ConfigurationProperties} class binds: JavaBean properties with a setter, or maps and
	 * collections, are leaves; read-only properties of a nested type of {@link HedgeProperties} are groups.
	 */
	private static void collect(Class<?> type, String prefix, Set<String> keys) {
		for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(type)) {
			if (property.getReadMethod() == null || "class".equals(property.getName())) {
				continue;
			}
			String key = prefix + "." + kebab(property.getName());
			Class<?> propertyType = property.getPropertyType();
			if (property.getWriteMethod() != null || Map.class.isAssignableFrom(propertyType)
					|| Collection.class.isAssignableFrom(propertyType)) {
				keys.add(key);
			}
			else if (propertyType.getName().startsWith(HedgeProperties.class.getName() + "$")) {
				collect(propertyType, key, keys);
			}
		}
	}

	private static String kebab(String name) {
		StringBuilder kebab = new StringBuilder();
		for (char c : name.toCharArray()) {
			if (Character.isUpperCase(c)) {
				kebab.append('-').append(Character.toLowerCase(c));
			}
			else {
				kebab.append(c);
			}
		}
		return kebab.toString();
	}

}
