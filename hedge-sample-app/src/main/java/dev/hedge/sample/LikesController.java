package dev.hedge.sample;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.hedge.common.NotRunningException;
import dev.hedge.replicator.ReplicatedGrowOnlySet;
import dev.hedge.replicator.ReplicationTimeoutException;
import dev.hedge.spring.HedgeReplicatedData;

/**
 * The seed's likes service on hedge's replicated data: {@code POST /likes/{post}} with a user as the plain-text body
 * likes a post, {@code GET /likes/{post}} answers how many users liked it. Any instance takes either call; a user's
 * like counts once however often and wherever it is sent, because each post is a grow-only set of users
 * ({@code likes/<post>}) that every instance holds a replica of and merges.
 *
 * <p>A like is acknowledged (200, the count this instance sees) once {@code hedge.crdt.write-consistency} members
 * hold it (majority in this application's configuration); if too few answer in time it is answered 202: applied
 * here and spreading, not yet confirmed. Counts are read from this instance's replica (a like sent elsewhere shows
 * up within about {@code hedge.crdt.delta-interval}).
 */
@RestController
public class LikesController {

	private final HedgeReplicatedData data;

	public LikesController(HedgeReplicatedData data) {
		this.data = data;
	}

	/** Likes a post; the body is the user. */
	@PostMapping(path = "/likes/{post}", produces = MediaType.TEXT_PLAIN_VALUE)
	public ResponseEntity<String> like(@PathVariable String post, @RequestBody(required = false) String user) {
		String who = (user != null) ? user.strip() : "";
		if (who.isEmpty() || who.length() > 256 || who.chars().anyMatch(Character::isWhitespace)) {
			throw new DemoController.BadRequest("body must be the user: 1 to 256 characters without spaces");
		}
		ReplicatedGrowOnlySet<String> likes = likes(post);
		try {
			likes.add(who);
			return ResponseEntity.ok(likes.size() + "\n");
		}
		catch (ReplicationTimeoutException ex) {
			return ResponseEntity.status(HttpStatus.ACCEPTED)
				.contentType(MediaType.TEXT_PLAIN)
				.body(likes.size() + "\n");
		}
	}

	/** How many users liked a post. */
	@GetMapping(path = "/likes/{post}", produces = MediaType.TEXT_PLAIN_VALUE)
	public String count(@PathVariable String post) {
		return likes(post).size() + "\n";
	}

	private ReplicatedGrowOnlySet<String> likes(String post) {
		if (post.isBlank() || post.length() > 256) {
			throw new DemoController.BadRequest("post must be 1 to 256 characters");
		}
		return this.data.growOnlySet("likes/" + post, String.class);
	}

	@ExceptionHandler(DemoController.BadRequest.class)
	ResponseEntity<String> badRequest(RuntimeException ex) {
		return ResponseEntity.badRequest().contentType(MediaType.TEXT_PLAIN).body(ex.getMessage() + "\n");
	}

	@ExceptionHandler(NotRunningException.class)
	ResponseEntity<String> notRunning(NotRunningException ex) {
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.contentType(MediaType.TEXT_PLAIN)
			.body(ex.getMessage() + "\n");
	}

}
