package io.spinel.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs the socket tests' corpus scripts: commands separated by " | ", arguments by single
 * spaces. In arguments, {@code $} becomes a prefix unique to the case (so cases never share
 * keys), {@code \s} a space, {@code \e} (a whole argument) the empty string, {@code \xHH} a byte,
 * {@code \r} and {@code \n} themselves; any other character is sent as its low byte (so Java's
 * {@code \u00ff} is the byte 0xff).
 */
public final class CommandScript {
    private CommandScript() {
    }

    /** Runs {@code script} with {@code $} replaced by {@code prefix}; returns the transcript of commands and raw replies. */
    public static String run(RawClient client, String prefix, String script) {
        StringBuilder transcript = new StringBuilder();
        for (String command : script.split(" \\| ")) {
            String[] words = command.split(" ");
            byte[][] args = new byte[words.length][];
            for (int i = 0; i < words.length; i++) {
                args[i] = decode(words[i].replace("$", prefix));
            }
            transcript.append(command).append(" -> ")
                    .append(new String(client.call(args), StandardCharsets.ISO_8859_1)).append('\n');
        }
        return transcript.toString();
    }

    private static byte[] decode(String word) {
        if (word.equals("\\e")) {
            return new byte[0];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c == '\\' && word.startsWith("\\s", i)) {
                out.write(' ');
                i++;
            } else if (c == '\\' && word.startsWith("\\x", i)) {
                out.write(Integer.parseInt(word.substring(i + 2, i + 4), 16));
                i += 3;
            } else if (c == '\\' && word.startsWith("\\r", i)) {
                out.write('\r');
                i++;
            } else if (c == '\\' && word.startsWith("\\n", i)) {
                out.write('\n');
                i++;
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }
}
