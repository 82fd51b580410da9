package dev.hedge.consumer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README's "Using hedge in an application" is the consumer application, file for file: each file of
 * {@code src/consumer-app} appears in the README after a {@code <!-- consumer-app:<path> -->} marker, as written, and
 * the README shows no other. So following the README in an empty directory builds what {@link ConsumerAppIT} runs.
 */
class ReadmeConsumerAppTests {

	private static final Path APP = Path.of("src", "consumer-app");

	@Test
	void theReadmeShowsEveryFileOfTheConsumerAppAsItIs() throws IOException {
		Map<String, String> shown = readmeFiles(Files.readString(Path.of("..", "README.md")));
		Map<String, String> files = new LinkedHashMap<>();
		try (Stream<Path> paths = Files.walk(APP)) {
			for (Path file : paths.filter(Files::isRegularFile).sorted().toList()) {
				files.put(APP.relativize(file).toString().replace('\\', '/'), Files.readString(file));
			}
		}
		assertThat(shown.keySet()).containsExactlyInAnyOrderElementsOf(files.keySet());
		files.forEach((path, content) -> assertThat(shown.get(path)).as(path).isEqualTo(content));
	}

	/** Marker, then a fenced block: the block's lines are the file. */
	static Map<String, String> readmeFiles(String readme) {
		Map<String, String> files = new LinkedHashMap<>();
		List<String> lines = readme.lines().toList();
		for (int i = 0; i < lines.size(); i++) {
			String line = lines.get(i).strip();
			if (line.startsWith("<!-- consumer-app:") && line.endsWith("-->")) {
				String path = line.substring("<!-- consumer-app:".length(), line.length() - "-->".length()).strip();
				int open = i + 1;
				while (!lines.get(open).startsWith("```")) {
					open++;
				}
				StringBuilder content = new StringBuilder();
				int at = open + 1;
				while (!lines.get(at).startsWith("```")) {
					content.append(lines.get(at)).append('\n');
					at++;
				}
				files.put(path, content.toString());
				i = at;
			}
		}
		return files;
	}

}
