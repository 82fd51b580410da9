package dev.hedge.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.databind.JsonNode;

import jakarta.servlet.http.HttpServletRequest;

import dev.hedge.HedgeNode;
import dev.hedge.kv.InvalidKeyValueException;
import dev.hedge.kv.KeyValue;
import dev.hedge.messaging.BroadcastOptions;
import dev.hedge.messaging.BroadcastResult;
import dev.hedge.messaging.BroadcastStream;
import dev.hedge.messaging.MessageStream;
import dev.hedge.messaging.MessagingException;
import dev.hedge.semaphore.Permit;
import dev.hedge.spring.HedgeKeyValueTemplate;
import dev.hedge.spring.HedgeSemaphores;

/**
 * hedge-Go's demo API ({@code POST /put}, {@code /get}, {@code /send}, {@code /broadcast}, plain-text bodies) and
 * demos of streams, the semaphore and the key/value template. Malformed bodies get HTTP 400 with a clear message.
 */
@RestController
public class DemoController {

	private final HedgeNode hedge;

	private final HedgeKeyValueTemplate kv;

	private final HedgeSemaphores semaphores;

	public DemoController(HedgeNode hedge, HedgeKeyValueTemplate kv, HedgeSemaphores semaphores) {
		this.hedge = hedge;
		this.kv = kv;
		this.semaphores = semaphores;
	}

	/** {@code "<key> <value>"}: appends the value (forwarded to the leader). */
	@PostMapping(path = "/put", produces = MediaType.TEXT_PLAIN_VALUE)
	public String put(HttpServletRequest request) {
		String text = required(request, "body must be '<key> <value>'");
		int space = text.indexOf(' ');
		if (space <= 0 || space == text.length() - 1) {
			throw new BadRequest("body must be '<key> <value>' (a key, a space, then the value)");
		}
		String key = text.substring(0, space);
		String value = text.substring(space + 1);
		Instant at = this.hedge.kv().put(key, value);
		return "put " + key + " at " + at + "\n";
	}

	/** {@code "<key>"}: the latest value. */
	@PostMapping(path = "/get", produces = MediaType.TEXT_PLAIN_VALUE)
	public ResponseEntity<String> get(HttpServletRequest request) {
		String key = required(request, "body must be '<key>'").strip();
		if (key.contains(" ")) {
			throw new BadRequest("body must be a single key without spaces");
		}
		Optional<KeyValue> latest = this.hedge.kv().get(key);
		return latest.map((kv) -> ResponseEntity.ok(kv.value() + "\n"))
			.orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND).body("no value for key " + key + "\n"));
	}

	/** {@code "<msg>"}: the leader handler's reply ({@code hello <msg>}). */
	@PostMapping(path = "/send", produces = MediaType.TEXT_PLAIN_VALUE)
	public String send(HttpServletRequest request) {
		String message = required(request, "body must be the message to send");
		return new String(this.hedge.sendToLeader(message.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8)
				+ "\n";
	}

	/** {@code "<msg>"}: one line per member, {@code <member>: broadcast <msg>} or the member's error. */
	@PostMapping(path = "/broadcast", produces = MediaType.TEXT_PLAIN_VALUE)
	public String broadcast(HttpServletRequest request) {
		String message = required(request, "body must be the message to broadcast");
		StringBuilder lines = new StringBuilder();
		for (BroadcastResult result : this.hedge.broadcast(message.getBytes(StandardCharsets.UTF_8))) {
			lines.append(result.member())
				.append(": ")
				.append(result.ok() ? new String(result.reply(), StandardCharsets.UTF_8) : "error " + result.error())
				.append('\n');
		}
		return lines.toString();
	}

	/** Lines of the body streamed to the leader; its replies, one per line. */
	@PostMapping(path = "/stream/send", produces = MediaType.TEXT_PLAIN_VALUE)
	public String streamSend(HttpServletRequest request) {
		String text = required(request, "body must be lines to stream");
		try (MessageStream stream = this.hedge.messenger().openLeaderStream()) {
			for (String line : text.split("\n")) {
				stream.send(line.getBytes(StandardCharsets.UTF_8));
			}
			stream.complete();
			StringBuilder replies = new StringBuilder();
			stream.remainingReplies().forEach((r) -> replies.append(new String(r, StandardCharsets.UTF_8)).append('\n'));
			return replies.toString();
		}
	}

	/** Lines of the body streamed to every member; each member's replies. */
	@PostMapping(path = "/stream/broadcast", produces = MediaType.APPLICATION_JSON_VALUE)
	public Map<String, List<String>> streamBroadcast(HttpServletRequest request) {
		String text = required(request, "body must be lines to stream");
		Map<String, List<String>> replies = new LinkedHashMap<>();
		try (BroadcastStream stream = this.hedge.messenger().openBroadcastStream(BroadcastOptions.all())) {
			for (String line : text.split("\n")) {
				stream.send(line.getBytes(StandardCharsets.UTF_8));
			}
			stream.complete();
			for (Map.Entry<String, MessageStream> member : stream.streams().entrySet()) {
				List<String> lines = new ArrayList<>();
				try {
					member.getValue()
						.remainingReplies()
						.forEach((r) -> lines.add(new String(r, StandardCharsets.UTF_8)));
				}
				catch (MessagingException ex) {
					lines.add("error " + ex.getMessage());
				}
				replies.put(member.getKey(), lines);
			}
		}
		return replies;
	}

	/** Takes a permit of a semaphore, holds it, releases it; reports how long it waited. */
	@PostMapping(path = "/semaphore/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
	public Map<String, Object> semaphore(@PathVariable String name, @RequestParam(defaultValue = "2") int limit,
			@RequestParam(defaultValue = "1000") long holdMillis, @RequestParam(defaultValue = "10000") long waitMillis)
			throws InterruptedException {
		if (limit < 1 || holdMillis < 0 || holdMillis > 60_000 || waitMillis < 0) {
			throw new BadRequest("limit must be >= 1, holdMillis 0..60000, waitMillis >= 0");
		}
		long start = System.nanoTime();
		Optional<Permit> permit = this.semaphores.get(name, limit).tryAcquire(Duration.ofMillis(waitMillis));
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("semaphore", name);
		result.put("acquired", permit.isPresent());
		result.put("waitedMillis", (System.nanoTime() - start) / 1_000_000);
		if (permit.isPresent()) {
			try (Permit held = permit.get()) {
				result.put("permit", held.id());
				result.put("epoch", held.epoch());
				Thread.sleep(holdMillis);
				result.put("validAtRelease", held.isValid());
			}
		}
		return result;
	}

	/** Appends a JSON document through {@link HedgeKeyValueTemplate}. */
	@PutMapping(path = "/kv/{key}", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.TEXT_PLAIN_VALUE)
	public String putJson(@PathVariable String key, @RequestBody JsonNode document) {
		return "put " + key + " at " + this.kv.put(key, document) + "\n";
	}

	/** The latest JSON document of a key. */
	@GetMapping(path = "/kv/{key}", produces = MediaType.APPLICATION_JSON_VALUE)
	public ResponseEntity<JsonNode> getJson(@PathVariable String key) {
		return ResponseEntity.of(this.kv.get(key, JsonNode.class));
	}

	/** Every version of a key, newest first. */
	@GetMapping(path = "/kv/{key}/history", produces = MediaType.APPLICATION_JSON_VALUE)
	public List<KeyValue> history(@PathVariable String key) {
		return this.kv.history(key);
	}

	/**
	 * The raw request body, whatever its content type: {@code curl -d 'k v'} sends form encoding, and hedge-Go's
	 * examples expect the text as typed, not a decoded form (reading the stream directly keeps Spring from parsing it).
	 */
	private static String required(HttpServletRequest request, String message) {
		String body;
		try {
			body = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new BadRequest("could not read the request body: " + ex.getMessage());
		}
		if (body.isBlank()) {
			throw new BadRequest(message);
		}
		return body.endsWith("\n") ? body.substring(0, body.length() - 1) : body;
	}

	@ExceptionHandler({ BadRequest.class, InvalidKeyValueException.class, IllegalArgumentException.class })
	ResponseEntity<String> badRequest(RuntimeException ex) {
		return ResponseEntity.badRequest().contentType(MediaType.TEXT_PLAIN).body(ex.getMessage() + "\n");
	}

	@ExceptionHandler(MessagingException.class)
	ResponseEntity<String> unavailable(MessagingException ex) {
		HttpStatus status = ex.isRetryable() ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.BAD_GATEWAY;
		return ResponseEntity.status(status).contentType(MediaType.TEXT_PLAIN).body(ex.getMessage() + "\n");
	}

	static final class BadRequest extends RuntimeException {

		private static final long serialVersionUID = 1L;

		BadRequest(String message) {
			super(message);
		}

	}

}
