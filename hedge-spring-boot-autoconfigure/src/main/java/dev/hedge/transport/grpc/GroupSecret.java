package dev.hedge.transport.grpc;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.hedge.common.HedgeConfigurationException;

/**
 * A secret shared by every member of a group that authenticates member calls without a PKI. Each call carries the
 * header {@code hedge-auth: v1.<key id>.<time>.<nonce>.<mac>}: an HMAC-SHA256 over the method, the group, the sender,
 * the sender's epoch, the sender's wall-clock time and a random nonce. Every message of the call, in both directions,
 * is framed with its own HMAC over the call's MAC, its direction, its position in the call and its bytes (the body
 * digest), so a message can be neither altered, nor moved to another call, nor reordered, nor replayed.
 *
 * <p>The receiver refuses a call whose time is more than {@linkplain #maxClockSkew() the skew window} away from its
 * own clock, and a call whose nonce it has already seen within that window ({@link ReplayGuard}). Several secrets may
 * be given during a rotation: the first signs, all verify; a key id (a hash prefix, not the secret) names the one
 * used. The secret authenticates, it does not encrypt: use TLS where the traffic itself must stay private.
 *
 * <p>Immutable configuration; the replay memory inside is thread-safe. One instance serves one member (its replay
 * memory is that member's).
 */
public final class GroupSecret {

	/** Shortest secret accepted: 32 characters (e.g. {@code openssl rand -base64 32} gives 44). */
	public static final int MIN_SECRET_LENGTH = 32;

	/** The receiver's default skew window. */
	public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofSeconds(10);

	static final String VERSION = "v1";

	static final int MAC_BYTES = 32;

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

	private final List<Key> keys;

	private final Map<String, Key> byId = new LinkedHashMap<>();

	private final Duration maxClockSkew;

	private final LongSupplier wallMillis;

	private final ReplayGuard replays;

	private GroupSecret(List<String> secrets, Duration maxClockSkew, LongSupplier wallMillis, int maxRemembered) {
		if (secrets == null || secrets.isEmpty()) {
			throw new HedgeConfigurationException("hedge.security.secret", "no secret given");
		}
		if (maxClockSkew == null || maxClockSkew.isNegative() || maxClockSkew.isZero()
				|| maxClockSkew.compareTo(Duration.ofMinutes(10)) > 0) {
			throw new HedgeConfigurationException("hedge.security.max-clock-skew",
					"must be more than 0 and at most 10m, was " + maxClockSkew);
		}
		List<Key> list = new ArrayList<>();
		for (String secret : secrets) {
			if (secret == null || secret.strip().length() < MIN_SECRET_LENGTH) {
				throw new HedgeConfigurationException("hedge.security.secret", "each secret must have at least "
						+ MIN_SECRET_LENGTH + " characters (generate one with: openssl rand -base64 32)");
			}
			Key key = new Key(secret.strip().getBytes(StandardCharsets.UTF_8));
			if (this.byId.putIfAbsent(key.id, key) == null) {
				list.add(key);
			}
		}
		this.keys = List.copyOf(list);
		this.maxClockSkew = maxClockSkew;
		this.wallMillis = wallMillis;
		this.replays = new ReplayGuard(maxClockSkew.toMillis(), maxRemembered, wallMillis);
	}

	/**
	 * A group secret with the default skew window.
	 * @param secrets the accepted secrets, the first one signs (each at least {@value #MIN_SECRET_LENGTH} characters)
	 * @return the secret
	 * @throws HedgeConfigurationException naming {@code hedge.security.secret} when a secret is missing or too short
	 */
	public static GroupSecret of(List<String> secrets) {
		return of(secrets, DEFAULT_MAX_CLOCK_SKEW);
	}

	/**
	 * A group secret.
	 * @param secrets the accepted secrets, the first one signs
	 * @param maxClockSkew how far a call's time may be from the receiver's clock (more than 0, at most 10 minutes)
	 * @return the secret
	 */
	public static GroupSecret of(List<String> secrets, Duration maxClockSkew) {
		return new GroupSecret(secrets, maxClockSkew, System::currentTimeMillis, ReplayGuard.DEFAULT_CAPACITY);
	}

	static GroupSecret of(List<String> secrets, Duration maxClockSkew, LongSupplier wallMillis, int maxRemembered) {
		return new GroupSecret(secrets, maxClockSkew, wallMillis, maxRemembered);
	}

	/**
	 * The ids of the accepted keys, the signing key first: SHA-256 prefixes, safe to log.
	 * @return the key ids
	 */
	public List<String> keyIds() {
		return this.keys.stream().map((key) -> key.id).toList();
	}

	/**
	 * How far a call's time may be from the receiver's clock.
	 * @return the window
	 */
	public Duration maxClockSkew() {
		return this.maxClockSkew;
	}

	/**
	 * Signs a call about to start.
	 * @param fields what the call claims
	 * @return the header value and the seal of the call's messages
	 */
	Signed sign(CallFields fields) {
		Key key = this.keys.get(0);
		long time = this.wallMillis.getAsLong();
		byte[] nonce = new byte[16];
		RANDOM.nextBytes(nonce);
		byte[] mac = key.callMac(fields, time, nonce);
		String header = VERSION + "." + key.id + "." + time + "." + ENCODER.encodeToString(nonce) + "."
				+ ENCODER.encodeToString(mac);
		return new Signed(header, new CallSeal(key, mac, CallSeal.Side.CLIENT));
	}

	/**
	 * Checks a call's {@code hedge-auth} header against what the call claims.
	 * @param fields what the call claims
	 * @param header the header value, or null
	 * @return the seal of the call's messages
	 * @throws Refused why the call is not accepted
	 */
	CallSeal verify(CallFields fields, String header) throws Refused {
		if (header == null) {
			throw new Refused("call not signed: this member requires the group secret (hedge.security.secret)");
		}
		String[] parts = header.split("\\.", -1);
		if (parts.length != 5 || !VERSION.equals(parts[0])) {
			throw new Refused("malformed hedge-auth header");
		}
		Key key = this.byId.get(parts[1]);
		if (key == null) {
			throw new Refused("call signed with unknown key " + parts[1] + " (a secret this member does not have)");
		}
		long time;
		byte[] nonce;
		byte[] mac;
		try {
			time = Long.parseLong(parts[2]);
			nonce = DECODER.decode(parts[3]);
			mac = DECODER.decode(parts[4]);
		}
		catch (IllegalArgumentException ex) {
			throw new Refused("malformed hedge-auth header");
		}
		if (nonce.length != 16 || mac.length != MAC_BYTES) {
			throw new Refused("malformed hedge-auth header");
		}
		if (!MessageDigest.isEqual(mac, key.callMac(fields, time, nonce))) {
			throw new Refused("bad call signature");
		}
		long skew = time - this.wallMillis.getAsLong();
		if (Math.abs(skew) > this.maxClockSkew.toMillis()) {
			throw new Refused("call time is " + skew + " ms from this member's clock, outside the "
					+ this.maxClockSkew.toMillis() + " ms window (hedge.security.max-clock-skew; check clock sync)");
		}
		switch (this.replays.remember(time, nonce)) {
			case REPLAYED -> throw new Refused("replayed call");
			case FULL -> throw new Refused("too many calls within the skew window to remember; retry");
			default -> {
			}
		}
		return new CallSeal(key, mac, CallSeal.Side.SERVER);
	}

	@Override
	public String toString() {
		return "GroupSecret" + keyIds();
	}

	/** What a call claims; all of it is covered by the call's MAC. */
	record CallFields(String method, byte[] group, String sender, String epoch) {
	}

	/** A signed call: the header to send and the seal of its messages. */
	record Signed(String header, CallSeal seal) {
	}

	/** A call that is not accepted, with a reason safe to tell the caller. */
	static final class Refused extends Exception {

		private static final long serialVersionUID = 1L;

		Refused(String message) {
			super(message, null, false, false);
		}

	}

	/** One accepted secret. */
	static final class Key {

		final String id;

		private final Mac prototype;

		Key(byte[] secret) {
			try {
				this.prototype = Mac.getInstance("HmacSHA256");
				this.prototype.init(new SecretKeySpec(secret, "HmacSHA256"));
				byte[] digest = MessageDigest.getInstance("SHA-256")
					.digest(concat("hedge-key-id".getBytes(StandardCharsets.US_ASCII), secret));
				this.id = HexFormat.of().formatHex(digest, 0, 4);
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException("HmacSHA256 unavailable", ex);
			}
		}

		Mac mac() {
			try {
				return (Mac) this.prototype.clone();
			}
			catch (CloneNotSupportedException ex) {
				throw new IllegalStateException("HmacSHA256 cannot be cloned", ex);
			}
		}

		byte[] callMac(CallFields fields, long time, byte[] nonce) {
			Mac mac = mac();
			update(mac, "hedge-call-v1".getBytes(StandardCharsets.US_ASCII));
			update(mac, fields.method().getBytes(StandardCharsets.UTF_8));
			update(mac, fields.group());
			update(mac, fields.sender().getBytes(StandardCharsets.UTF_8));
			update(mac, fields.epoch().getBytes(StandardCharsets.UTF_8));
			mac.update(ByteBuffer.allocate(Long.BYTES).putLong(0, time));
			update(mac, nonce);
			return mac.doFinal();
		}

		/** Length-prefixed, so no two field lists give the same input. */
		private static void update(Mac mac, byte[] field) {
			mac.update(ByteBuffer.allocate(Integer.BYTES).putInt(0, field.length));
			mac.update(field);
		}

		private static byte[] concat(byte[] a, byte[] b) {
			byte[] both = new byte[a.length + b.length];
			System.arraycopy(a, 0, both, 0, a.length);
			System.arraycopy(b, 0, both, a.length, b.length);
			return both;
		}

	}

}
