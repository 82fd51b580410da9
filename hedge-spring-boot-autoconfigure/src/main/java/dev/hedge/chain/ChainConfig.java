package dev.hedge.chain;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One configuration of a chain, as the coordinator (the hedge leader) wrote it to the store: the serving members in
 * chain order (head first, the read tail last), at most one member still catching up behind the read tail, the
 * configuration's version and the epoch of the leader that wrote it. Immutable.
 *
 * <p>Versions increase by exactly one per write, across leaders (each write is a compare-and-set on the previous
 * version, fenced by the writer's epoch in the same transaction), so two different configurations never share a
 * version, and a member acts only on messages of the version it holds itself.
 *
 * <p>The physical chain ({@link #chain()}) is the members followed by the syncing member: every write is staged by
 * each of them in that order and committed by the last one, whose commit flows back. Reads are served only by the
 * members ({@link #isServing}); the syncing member receives every write but serves nothing until the coordinator
 * makes it a member.
 *
 * @param version the configuration version, from 1 (0 only for {@link #NONE})
 * @param epoch the epoch of the leader that wrote it
 * @param members the serving members in chain order (copied)
 * @param syncing the member catching up behind the read tail, or {@code null}
 */
public record ChainConfig(long version, long epoch, List<ChainMember> members, ChainMember syncing) {

	/** No configuration yet: no members. */
	public static final ChainConfig NONE = new ChainConfig(0, 0, List.of(), null);

	/**
	 * Validates the configuration.
	 * @param version the version
	 * @param epoch the epoch
	 * @param members the members
	 * @param syncing the syncing member or {@code null}
	 * @throws IllegalArgumentException if a version or epoch is negative, or an id appears twice
	 */
	public ChainConfig {
		if (version < 0 || epoch < 0) {
			throw new IllegalArgumentException("a chain configuration's version and epoch are not negative (were "
					+ version + ", " + epoch + ")");
		}
		members = List.copyOf(members);
		Set<String> ids = new HashSet<>();
		for (ChainMember member : members) {
			if (!ids.add(member.id())) {
				throw new IllegalArgumentException("member " + member.id() + " appears twice in a chain configuration");
			}
		}
		if (syncing != null && ids.contains(syncing.id())) {
			throw new IllegalArgumentException("member " + syncing.id() + " is both serving and syncing");
		}
	}

	/**
	 * The physical chain: the members, then the syncing member if any.
	 * @return the members every write passes through, in order
	 */
	public List<ChainMember> chain() {
		if (this.syncing == null) {
			return this.members;
		}
		List<ChainMember> all = new ArrayList<>(this.members);
		all.add(this.syncing);
		return all;
	}

	/**
	 * The head, where every write enters.
	 * @return the first member, empty if there is none
	 */
	public Optional<ChainMember> head() {
		return this.members.isEmpty() ? Optional.empty() : Optional.of(this.members.get(0));
	}

	/**
	 * The read tail: the last serving member, which answers version queries of dirty reads.
	 * @return the last member, empty if there is none
	 */
	public Optional<ChainMember> readTail() {
		return this.members.isEmpty() ? Optional.empty() : Optional.of(this.members.get(this.members.size() - 1));
	}

	/**
	 * Whether a member serves reads in this configuration.
	 * @param member the member (id and incarnation)
	 * @return whether it is one of {@link #members()}
	 */
	public boolean isServing(ChainMember member) {
		return indexOf(this.members, member) >= 0;
	}

	/**
	 * Whether a member is in the physical chain.
	 * @param member the member
	 * @return whether it is a member or the syncing member
	 */
	public boolean inChain(ChainMember member) {
		return isServing(member) || member.sameAs(this.syncing);
	}

	/**
	 * The member after another in the physical chain.
	 * @param member a member of the chain
	 * @return its successor, empty if it is the last (or not in the chain)
	 */
	public Optional<ChainMember> successorOf(ChainMember member) {
		List<ChainMember> chain = chain();
		int index = indexOf(chain, member);
		return (index >= 0 && index + 1 < chain.size()) ? Optional.of(chain.get(index + 1)) : Optional.empty();
	}

	/**
	 * The member before another in the physical chain.
	 * @param member a member of the chain
	 * @return its predecessor, empty if it is the head (or not in the chain)
	 */
	public Optional<ChainMember> predecessorOf(ChainMember member) {
		List<ChainMember> chain = chain();
		int index = indexOf(chain, member);
		return (index > 0) ? Optional.of(chain.get(index - 1)) : Optional.empty();
	}

	/**
	 * The member of the physical chain with an id.
	 * @param id a hedge member id
	 * @return the member, empty if no member of the chain has it
	 */
	public Optional<ChainMember> member(String id) {
		return chain().stream().filter((member) -> member.id().equals(id)).findFirst();
	}

	private static int indexOf(List<ChainMember> list, ChainMember member) {
		for (int i = 0; i < list.size(); i++) {
			if (list.get(i).sameAs(member)) {
				return i;
			}
		}
		return -1;
	}

	/**
	 * The next configuration: version + 1, written in {@code epoch}.
	 * @param epoch the writing leader's epoch
	 * @param members the serving members
	 * @param syncing the syncing member or {@code null}
	 * @return the configuration
	 */
	public ChainConfig next(long epoch, List<ChainMember> members, ChainMember syncing) {
		return new ChainConfig(this.version + 1, epoch, members, syncing);
	}

	/**
	 * Whether another configuration has the same chain (members and syncing member, in order), whatever the
	 * versions.
	 * @param other the other configuration
	 * @return whether the chains are equal
	 */
	public boolean sameChain(ChainConfig other) {
		return this.members.equals(other.members) && java.util.Objects.equals(this.syncing, other.syncing);
	}

	/**
	 * The members as the stores keep them: one line per member, {@code member <id> <incarnation> <durable>}, then a
	 * {@code syncing ...} line for the syncing member.
	 * @return the text
	 */
	public String membersText() {
		StringBuilder text = new StringBuilder();
		for (ChainMember member : this.members) {
			line(text, "member", member);
		}
		if (this.syncing != null) {
			line(text, "syncing", this.syncing);
		}
		return text.toString();
	}

	private static void line(StringBuilder text, String role, ChainMember member) {
		text.append(role).append(' ').append(member.id()).append(' ').append(member.incarnation()).append(' ')
			.append(member.durable()).append('\n');
	}

	/**
	 * Reads a configuration the stores kept.
	 * @param version the stored version
	 * @param epoch the stored epoch
	 * @param membersText the stored {@link #membersText()}
	 * @return the configuration
	 * @throws ChainConfigException if the text is not a configuration's
	 */
	public static ChainConfig parse(long version, long epoch, String membersText) {
		List<ChainMember> members = new ArrayList<>();
		ChainMember syncing = null;
		try {
			for (String line : membersText.split("\n")) {
				if (line.isBlank()) {
					continue;
				}
				String[] fields = line.strip().split(" ");
				if (fields.length != 4 || !(fields[3].equals("true") || fields[3].equals("false"))) {
					throw new IllegalArgumentException("malformed line '" + line + "'");
				}
				ChainMember member = new ChainMember(fields[1], fields[2], Boolean.parseBoolean(fields[3]));
				switch (fields[0]) {
					case "member" -> {
						if (syncing != null) {
							throw new IllegalArgumentException("a member after the syncing member");
						}
						members.add(member);
					}
					case "syncing" -> {
						if (syncing != null) {
							throw new IllegalArgumentException("two syncing members");
						}
						syncing = member;
					}
					default -> throw new IllegalArgumentException("unknown role '" + fields[0] + "'");
				}
			}
			return new ChainConfig(version, epoch, members, syncing);
		}
		catch (IllegalArgumentException ex) {
			throw new ChainConfigException("the stored chain configuration version " + version
					+ " is damaged: " + ex.getMessage());
		}
	}

	@Override
	public String toString() {
		return "ChainConfig[v" + this.version + ", epoch " + this.epoch + ", " + this.members
				+ ((this.syncing != null) ? " + syncing " + this.syncing : "") + "]";
	}

}
