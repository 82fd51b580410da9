package dev.hedge.crdt;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A generated run: a number of replicas and a list of steps, plus a seed for the shuffles the checks make. Steps are
 * plain data, interpreted against whatever state the replicas are in; a step that does not apply (an operation by a
 * dead replica, a prune with no dead replica to prune) is skipped, so any sub-list of the steps is a valid scenario
 * (which is what shrinking needs).
 *
 * @param replicas the number of replicas (2 to 5)
 * @param steps the steps
 * @param seed the seed of the checks' own random choices
 * @param trace where to describe the run step by step, or {@code null}
 */
record Scenario(int replicas, List<Step> steps, long seed, List<String> trace) {

	static final String[] IDS = { "A", "B", "C", "D", "E" };

	static Scenario generate(SplittableRandom random, boolean pruning) {
		int replicas = 2 + random.nextInt(4);
		int count = 1 + random.nextInt(24);
		List<Step> steps = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			int roll = random.nextInt(100);
			Kind kind;
			if (roll < 45) {
				kind = Kind.OPERATE;
			}
			else if (roll < 68) {
				kind = Kind.SYNC;
			}
			else if (roll < 88) {
				kind = Kind.DELIVER;
			}
			else if (roll < 93) {
				kind = Kind.KILL;
			}
			else {
				kind = pruning ? Kind.PRUNE : Kind.OPERATE;
			}
			steps.add(new Step(kind, random.nextInt(replicas), random.nextInt(replicas), random.nextLong()));
		}
		return new Scenario(replicas, List.copyOf(steps), random.nextLong(), null);
	}

	Scenario withSteps(List<Step> steps) {
		return new Scenario(this.replicas, List.copyOf(steps), this.seed, this.trace);
	}

	Scenario traced(List<String> trace) {
		return new Scenario(this.replicas, this.steps, this.seed, trace);
	}

	@Override
	public String toString() {
		StringBuilder text = new StringBuilder();
		text.append(this.replicas).append(" replicas, ").append(this.steps.size()).append(" steps, check seed ")
			.append(this.seed);
		for (int i = 0; i < this.steps.size(); i++) {
			text.append(System.lineSeparator()).append("  ").append(i + 1).append(". ").append(this.steps.get(i));
		}
		return text.toString();
	}

	enum Kind {

		/** {@code replica} makes a local operation chosen by {@code choice}. */
		OPERATE,

		/** {@code replica} receives {@code other}'s state (or, in a delta world, every delta {@code other} has). */
		SYNC,

		/** {@code replica} receives one pending delta (or a duplicate of one it had), chosen by {@code choice}. */
		DELIVER,

		/** {@code replica} stops for good (if at least two others are still running). */
		KILL,

		/** {@code replica} prunes a dead replica ({@code other} if dead, else the first dead one) into itself. */
		PRUNE

	}

	record Step(Kind kind, int replica, int other, long choice) {

		@Override
		public String toString() {
			return switch (this.kind) {
				case OPERATE -> IDS[this.replica] + " operates #" + this.choice;
				case SYNC -> IDS[this.replica] + " <- " + IDS[this.other];
				case DELIVER -> IDS[this.replica] + " gets a delta #" + this.choice;
				case KILL -> IDS[this.replica] + " dies";
				case PRUNE -> IDS[this.replica] + " prunes " + IDS[this.other];
			};
		}

	}

}
