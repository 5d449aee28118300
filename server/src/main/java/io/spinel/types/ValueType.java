package io.spinel.types;

/** The type of a stored value, as TYPE names it. */
public enum ValueType {
    STRING("string"),
    LIST("list"),
    SET("set"),
    ZSET("zset"),
    HASH("hash"),
    STREAM("stream");

    private final String typeName;

    ValueType(String typeName) {
        this.typeName = typeName;
    }

    /** The name TYPE replies and SCAN ... TYPE accepts. */
    public String typeName() {
        return typeName;
    }

    /** The type of a value as the keyspace stores it. */
    public static ValueType of(Object value) {
        if (value instanceof CollectionValue collection) {
            return collection.type();
        }
        if (StringValue.isString(value)) {
            return STRING;
        }
        throw new IllegalArgumentException("not a stored value: " + value.getClass());
    }

    /** The type named {@code name} (case-insensitive), or null. */
    public static ValueType named(String name) {
        for (ValueType type : values()) {
            if (type.typeName.equalsIgnoreCase(name)) {
                return type;
            }
        }
        return null;
    }
}
