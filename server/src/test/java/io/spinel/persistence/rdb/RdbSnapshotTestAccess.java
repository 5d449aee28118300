package io.spinel.persistence.rdb;

import java.util.Map;

/** Lets tests outside this package read a file's string keys ("db:key" to value). */
public final class RdbSnapshotTestAccess {
    private RdbSnapshotTestAccess() {
    }

    public static Map<String, String> load(byte[] file) throws RdbFormatException {
        return RdbSnapshotTest.load(file);
    }
}
