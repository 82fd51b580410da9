package dev.hedge.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.hedge.chain.ChainCompareFailedException;
import dev.hedge.chain.ChainException;
import dev.hedge.chain.ChainLimitException;
import dev.hedge.chain.ReadMode;
import dev.hedge.spring.HedgeChainTemplate;

/**
 * The replicated chain ({@code hedge.chain.enabled=true} in this sample): {@code PUT /chain/{key}} writes the body
 * (through the head, acknowledged once the tail committed it; {@code ?expectedVersion=n} makes it a
 * compare-and-set) and answers the version; {@code GET /chain/{key}} reads it from this member
 * ({@code ?mode=local} for the weaker local read), with the version in the {@code Hedge-Chain-Version} header.
 * Bodies are taken as raw UTF-8 text whatever their content type.
 */
@RestController
@RequestMapping("/chain")
public class ChainController {

	static final String VERSION_HEADER = "Hedge-Chain-Version";

	private final HedgeChainTemplate chain;

	public ChainController(HedgeChainTemplate chain) {
		this.chain = chain;
	}

	@PutMapping(path = "/{key}", produces = MediaType.TEXT_PLAIN_VALUE)
	public String put(@PathVariable String key, @RequestParam(required = false) Long expectedVersion,
			HttpServletRequest request) throws IOException {
		String value = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		long version = (expectedVersion != null) ? this.chain.compareAndSet(key, expectedVersion, value)
				: this.chain.put(key, value);
		return "version " + version + "\n";
	}

	@GetMapping(path = "/{key}", produces = MediaType.TEXT_PLAIN_VALUE)
	public ResponseEntity<String> get(@PathVariable String key,
			@RequestParam(defaultValue = "linearizable") String mode) {
		ReadMode read = switch (mode) {
			case "linearizable" -> ReadMode.LINEARIZABLE;
			case "local" -> ReadMode.LOCAL;
			default -> throw new IllegalArgumentException("mode must be linearizable or local (was '" + mode + "')");
		};
		return this.chain.getEntry(key, String.class, read)
			.map((entry) -> ResponseEntity.ok().header(VERSION_HEADER, Long.toString(entry.version())).body(entry.value()))
			.orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND).body("no value for key " + key + "\n"));
	}

	@ExceptionHandler({ ChainLimitException.class, IllegalArgumentException.class })
	ResponseEntity<String> badRequest(RuntimeException ex) {
		return text(HttpStatus.BAD_REQUEST, ex.getMessage());
	}

	@ExceptionHandler(ChainCompareFailedException.class)
	ResponseEntity<String> conflict(ChainCompareFailedException ex) {
		return ResponseEntity.status(HttpStatus.CONFLICT)
			.header(VERSION_HEADER, Long.toString(ex.getCurrentVersion()))
			.contentType(MediaType.TEXT_PLAIN)
			.body(ex.getMessage() + "\n");
	}

	@ExceptionHandler(ChainException.class)
	ResponseEntity<String> unavailable(ChainException ex) {
		return text(HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage());
	}

	private static ResponseEntity<String> text(HttpStatus status, String message) {
		return ResponseEntity.status(status).contentType(MediaType.TEXT_PLAIN).body(message + "\n");
	}

}
