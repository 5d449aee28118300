package io.spinel.command;

/**
 * Runs one command: reads its arguments, works on the keyspace under the locks the dispatcher
 * already took, and writes its reply to {@code client.reply()}. Handlers never block.
 */
@FunctionalInterface
public interface CommandHandler {
    void execute(Client client, byte[][] argv);
}
