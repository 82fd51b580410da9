package dev.hedge.chain;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.google.protobuf.ByteString;

import dev.hedge.transport.grpc.proto.ChainConfigMsg;
import dev.hedge.transport.grpc.proto.ChainEntryMsg;
import dev.hedge.transport.grpc.proto.ChainMemberRef;
import dev.hedge.transport.grpc.proto.ChainRefusal;
import dev.hedge.transport.grpc.proto.ChainWriteRecordMsg;

/**
 * Converts between the chain's domain types and {@code hedge/v1/chain.proto}, both ways, for {@link ChainService}
 * and {@link ChainClient}. Incoming messages are validated here: a malformed one throws
 * {@link IllegalArgumentException} (answered INVALID_ARGUMENT). Stateless.
 */
final class ChainWire {

	private ChainWire() {
	}

	static ChainMemberRef member(ChainMember member) {
		return ChainMemberRef.newBuilder()
			.setId(member.id())
			.setIncarnation(member.incarnation())
			.setDurable(member.durable())
			.build();
	}

	static ChainMember member(ChainMemberRef ref) {
		return new ChainMember(ref.getId(), ref.getIncarnation(), ref.getDurable());
	}

	static ChainConfigMsg config(ChainConfig config) {
		ChainConfigMsg.Builder builder = ChainConfigMsg.newBuilder()
			.setVersion(config.version())
			.setEpoch(config.epoch());
		config.members().forEach((member) -> builder.addMembers(member(member)));
		if (config.syncing() != null) {
			builder.setSyncing(member(config.syncing()));
		}
		return builder.build();
	}

	static ChainConfig config(ChainConfigMsg message) {
		List<ChainMember> members = new ArrayList<>();
		message.getMembersList().forEach((ref) -> members.add(member(ref)));
		return new ChainConfig(message.getVersion(), message.getEpoch(), members,
				message.hasSyncing() ? member(message.getSyncing()) : null);
	}

	/** A key's committed item and its write records up to it, as catch-up and repair send them. */
	static ChainEntryMsg entry(KeyEntry entry) {
		Item committed = entry.committed();
		ChainEntryMsg.Builder builder = ChainEntryMsg.newBuilder()
			.setKey(entry.key())
			.setVersion(committed.version())
			.setValue(ByteString.copyFrom(committed.value()))
			.setWriteId(committed.writeId());
		for (WriteRecord write : entry.writes()) {
			if (write.version() <= committed.version()) {
				builder.addWrites(ChainWriteRecordMsg.newBuilder()
					.setWriteId(write.writeId())
					.setVersion(write.version()));
			}
		}
		return builder.build();
	}

	static KeyEntry entry(ChainEntryMsg message) {
		Item committed = new Item(message.getKey(), message.getVersion(), message.getValue().toByteArray(),
				message.getWriteId(), true);
		List<WriteRecord> writes = new ArrayList<>();
		message.getWritesList().forEach((write) -> writes.add(new WriteRecord(write.getWriteId(), write.getVersion())));
		return new KeyEntry(message.getKey(), committed, null, writes);
	}

	/** The committed part of an entry, or empty if nothing is committed. */
	static Optional<KeyEntry> committedPart(KeyEntry entry) {
		if (entry == null || entry.committed() == null) {
			return Optional.empty();
		}
		long top = entry.committedVersion();
		List<WriteRecord> writes = entry.writes().stream().filter((write) -> write.version() <= top).toList();
		return Optional.of(new KeyEntry(entry.key(), entry.committed(), null, writes));
	}

	static ChainRefusal refusal(ChainRefusedException refused) {
		ChainRefusal.Builder builder = ChainRefusal.newBuilder()
			.setReason(ChainRefusal.Reason.valueOf(refused.reason().name()))
			.setMessage(String.valueOf(refused.getMessage()))
			.setCurrentVersion(refused.currentVersion());
		if (refused.config() != null) {
			builder.setConfig(config(refused.config()));
		}
		return builder.build();
	}

	static ChainRefusedException refusal(ChainRefusal message) {
		ChainRefusedException.Reason reason;
		try {
			reason = ChainRefusedException.Reason.valueOf(message.getReason().name());
		}
		catch (IllegalArgumentException ex) {
			reason = ChainRefusedException.Reason.NOT_RUNNING;
		}
		return new ChainRefusedException(reason, message.getMessage(),
				message.hasConfig() ? config(message.getConfig()) : null, message.getCurrentVersion());
	}

}
