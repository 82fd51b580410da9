package dev.hedge.bench;

import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.hedge.HedgeNode;
import dev.hedge.store.HedgeStore;
import dev.hedge.store.jdbc.JdbcHedgeStore;
import dev.hedge.testsupport.TestCertificates;
import dev.hedge.transport.grpc.GroupSecret;
import dev.hedge.transport.grpc.MemberSecurity;
import dev.hedge.transport.grpc.MemberTls;

/**
 * The price of member authentication: hedge send (follower to leader, echo) in three groups on one store that differ
 * only in their security — none (loopback only), a group secret (HMAC on every call and message), mutual TLS — at the
 * same message size and number of callers, rounds interleaved so drift hits all three alike. Prints each one's
 * throughput and p50 as a ratio to the unauthenticated group measured in the same run (goal: throughput >= 0.85).
 */
final class SendAuthBench {

	private SendAuthBench() {
	}

	static void run(Args args) throws Exception {
		int callers = args.integer("callers", 8);
		int size = args.integer("size", 256);
		int rounds = args.integer("rounds", 3);
		Duration warmup = args.duration("warmup", Duration.ofSeconds(5));
		Duration window = args.duration("window", Duration.ofSeconds(10));
		byte[] payload = new byte[size];
		System.out.printf("%d callers, %d-byte messages, %s warm-up, %s measured per round, %d rounds each%n", callers,
				size, warmup, window, rounds);
		Map<String, MemberSecurity> kinds = new LinkedHashMap<>();
		kinds.put("plaintext (loopback only)", MemberSecurity.auto());
		kinds.put("group secret (HMAC)", MemberSecurity.auto()
			.withSecret(GroupSecret.of(List.of("bench-secret-0123456789-0123456789-0123456789"))));
		kinds.put("mutual TLS", MemberSecurity.auto()
			.withTls(MemberTls.of(TestCertificates.keys("member"), TestCertificates.trust("hedge"))));
		HedgeStore store = JdbcHedgeStore.embedded(Files.createTempDirectory("hedge-bench-"), true);
		Map<String, HedgeNode[]> pairs = new LinkedHashMap<>();
		try {
			for (Map.Entry<String, MemberSecurity> kind : kinds.entrySet()) {
				String group = "bench-auth-" + pairs.size();
				HedgeNode leader = SendBench.node(store, group, kind.getValue());
				SendBench.await(leader::isLeader);
				HedgeNode follower = SendBench.node(store, group, kind.getValue());
				SendBench.await(() -> follower.leaderId().isPresent() && follower.members().size() == 2);
				pairs.put(kind.getKey(), new HedgeNode[] { leader, follower });
			}
			Map<String, double[]> sums = new LinkedHashMap<>();
			for (int round = 0; round < rounds; round++) {
				for (Map.Entry<String, HedgeNode[]> pair : pairs.entrySet()) {
					HedgeNode follower = pair.getValue()[1];
					LoadRun.Result result = LoadRun.run(pair.getKey(), callers, warmup, window,
							(t, i) -> follower.send(payload));
					System.out.println("  " + result);
					double[] sum = sums.computeIfAbsent(pair.getKey(), (k) -> new double[2]);
					sum[0] += result.throughput() / rounds;
					sum[1] += result.p50Micros() / rounds;
				}
			}
			double[] plain = sums.values().iterator().next();
			for (Map.Entry<String, double[]> entry : sums.entrySet()) {
				System.out.printf("%-28s %8.0f ops/s  p50 %6.0f us  throughput ratio to plaintext %.2f%s%n",
						entry.getKey(), entry.getValue()[0], entry.getValue()[1], entry.getValue()[0] / plain[0],
						(entry.getValue() == plain) ? "" : " (goal >= 0.85)");
			}
		}
		finally {
			for (HedgeNode[] pair : pairs.values()) {
				pair[1].close();
				pair[0].close();
			}
			store.close();
		}
	}

}
