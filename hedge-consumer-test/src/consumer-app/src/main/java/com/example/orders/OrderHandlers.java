package com.example.orders;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.hedge.election.LeadershipEvent;
import dev.hedge.spring.annotation.BroadcastHandler;
import dev.hedge.spring.annotation.LeaderHandler;
import dev.hedge.spring.annotation.OnLeader;

@Component
class OrderHandlers {

	private static final Logger logger = LoggerFactory.getLogger(OrderHandlers.class);

	@LeaderHandler // answers sendToLeader, on whichever member leads
	String hello(String message) {
		return "hello " + message;
	}

	@BroadcastHandler // every member answers a broadcast
	String refresh(String message) {
		return "refreshed " + message;
	}

	@OnLeader(fixedRate = "${orders.report-rate:30s}") // runs only while this member leads
	void report(LeadershipEvent grant) {
		logger.info("Leading the group in epoch {}", grant.epoch()); // the epoch is the term's fencing token
	}

	@Scheduled(cron = "0 0 * * * *")
	@OnLeader // a guard: on followers the call is skipped
	void purge() {
		logger.info("Purging expired orders");
	}

}
