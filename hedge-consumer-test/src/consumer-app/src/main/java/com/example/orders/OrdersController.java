package com.example.orders;

import java.util.List;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.hedge.HedgeNode;
import dev.hedge.messaging.BroadcastResult;
import dev.hedge.semaphore.HedgeSemaphore;
import dev.hedge.semaphore.Permit;
import dev.hedge.spring.HedgeKeyValueTemplate;

import static java.nio.charset.StandardCharsets.UTF_8;

@RestController
class OrdersController {

	private final HedgeNode hedge;

	private final HedgeKeyValueTemplate kv;

	private final HedgeSemaphore exports;

	OrdersController(HedgeNode hedge, HedgeKeyValueTemplate kv, @Qualifier("exports") HedgeSemaphore exports) {
		this.hedge = hedge;
		this.kv = kv;
		this.exports = exports;
	}

	@PostMapping("/send")
	String send(@RequestBody String message) {
		byte[] reply = this.hedge.sendToLeader(message.getBytes(UTF_8)); // retried across leader changes
		return new String(reply, UTF_8);
	}

	@PostMapping("/broadcast")
	List<String> broadcast(@RequestBody String message) {
		return this.hedge.broadcast(message.getBytes(UTF_8)).stream().map(BroadcastResult::toString).toList();
	}

	@PutMapping("/orders/{id}")
	String put(@PathVariable String id, @RequestBody Order order) {
		return "stored at " + this.kv.put("order/" + id, order); // JSON, appended by the leader
	}

	@GetMapping("/orders/{id}")
	ResponseEntity<Order> get(@PathVariable String id) {
		return ResponseEntity.of(this.kv.get("order/" + id, Order.class)); // the latest value, from any member
	}

	@GetMapping("/orders/{id}/history")
	List<Order> history(@PathVariable String id) {
		return this.kv.history("order/" + id, Order.class); // every value ever put, newest first
	}

	@PostMapping("/export")
	String export() throws InterruptedException {
		try (Permit permit = this.exports.acquire()) { // at most two exports at a time in the whole group
			return "exported under permit " + permit.id();
		}
	}

	record Order(String item, int quantity) {
	}

}
