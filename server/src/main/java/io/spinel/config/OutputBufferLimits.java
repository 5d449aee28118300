package io.spinel.config;

import java.util.List;

/**
 * The client-output-buffer-limit setting: a hard limit, a soft limit and the seconds a client
 * may stay over the soft limit, for each client class (normal, replica, pubsub); 0 disables a
 * limit. A setting names the classes it changes and leaves the others as they are.
 */
public record OutputBufferLimits(Limit normal, Limit replica, Limit pubsub) {
    /** The limits of one client class. */
    public record Limit(long hardBytes, long softBytes, long softSeconds) {
        /** Whether any limit is set. */
        public boolean enabled() {
            return hardBytes > 0 || softBytes > 0;
        }

        String format() {
            return hardBytes + " " + softBytes + " " + softSeconds;
        }
    }

    static final OutputBufferLimits DEFAULT = new OutputBufferLimits(new Limit(0, 0, 0),
            new Limit(256L * 1024 * 1024, 64L * 1024 * 1024, 60), new Limit(32L * 1024 * 1024, 8L * 1024 * 1024, 60));

    /** Applies "class hard soft seconds [class hard soft seconds ...]" to {@code current}. */
    static OutputBufferLimits parse(String text, OutputBufferLimits current) {
        List<String> words = List.of(text.trim().split("\\s+"));
        if (text.isBlank() || words.size() % 4 != 0) {
            throw new IllegalArgumentException("Wrong number of arguments in buffer limit configuration.");
        }
        OutputBufferLimits out = current;
        for (int i = 0; i < words.size(); i += 4) {
            String type = words.get(i).toLowerCase(java.util.Locale.ROOT);
            if (!List.of("normal", "slave", "replica", "pubsub").contains(type)) {
                throw new IllegalArgumentException("Invalid client class specified in buffer limit configuration.");
            }
            Long hard = MemoryUnits.parse(words.get(i + 1));
            Long soft = MemoryUnits.parse(words.get(i + 2));
            Long seconds = io.spinel.types.StringValue.parseLong(words.get(i + 3).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            if (hard == null || soft == null || seconds == null || hard < 0 || soft < 0 || seconds < 0) {
                throw new IllegalArgumentException("Error in hard, soft or soft_seconds setting in buffer limit configuration.");
            }
            Limit limit = new Limit(hard, soft, seconds);
            out = switch (type) {
                case "normal" -> new OutputBufferLimits(limit, out.replica, out.pubsub);
                case "pubsub" -> new OutputBufferLimits(out.normal, out.replica, limit);
                default -> new OutputBufferLimits(out.normal, limit, out.pubsub);
            };
        }
        return out;
    }

    String format() {
        return "normal " + normal.format() + " slave " + replica.format() + " pubsub " + pubsub.format();
    }
}
