package io.spinel.command;

/** The Redis version Spinel reports (INFO redis_version, HELLO): the release whose behaviour it follows. */
public final class Version {
    private Version() {
    }

    public static final String REDIS_VERSION = "7.2.4";
}
