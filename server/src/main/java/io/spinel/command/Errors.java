package io.spinel.command;

/**
 * Error replies, byte for byte as Redis writes them (without the leading {@code -}). Every error
 * text a handler sends lives here, so tests and handlers share one spelling.
 */
public final class Errors {
    private Errors() {
    }

    public static final String SYNTAX = "ERR syntax error";
    public static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
    public static final String NOT_INTEGER = "ERR value is not an integer or out of range";
    public static final String NOT_FLOAT = "ERR value is not a valid float";
    public static final String OVERFLOW = "ERR increment or decrement would overflow";
    public static final String NO_SUCH_KEY = "ERR no such key";
    public static final String DB_INDEX_OUT_OF_RANGE = "ERR DB index is out of range";
    public static final String NOAUTH = "NOAUTH Authentication required.";
    public static final String LOADING = "LOADING Redis is loading the dataset in memory";
    public static final String WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";
    public static final String AUTH_NOT_CONFIGURED = "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?";
    public static final String STRING_TOO_LONG = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
    public static final String OFFSET_OUT_OF_RANGE = "ERR offset is out of range";
    public static final String DECREMENT_OVERFLOW = "ERR decrement would overflow";
    public static final String NAN_OR_INFINITY = "ERR increment would produce NaN or Infinity";
    public static final String LCS_NOT_STRINGS = "ERR The specified keys must contain string values";
    public static final String LCS_IDX_AND_LEN = "ERR If you want both the length and indexes, please just use IDX.";
    public static final String LCS_TABLE_TOO_LARGE = "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len";
    public static final String LCS_ALLOCATION_FAILED = "ERR Insufficient memory, failed allocating transient memory for LCS";
    public static final String INVALID_CURSOR = "ERR invalid cursor";
    public static final String SAME_OBJECT = "ERR source and destination objects are the same";
    public static final String NOT_INT32 = "ERR value is out of range, value must between -2147483648 and 2147483647";
    public static final String EXPIRE_NX_CONFLICT = "ERR NX and XX, GT or LT options at the same time are not compatible";
    public static final String EXPIRE_GT_LT_CONFLICT = "ERR GT and LT options at the same time are not compatible";
    public static final String TIMEOUT_NOT_INTEGER = "ERR timeout is not an integer or out of range";
    public static final String UNBLOCK_REASON = "ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR";
    public static final String TIMEOUT_NOT_FLOAT = "ERR timeout is not a float or out of range";
    public static final String TIMEOUT_NEGATIVE = "ERR timeout is negative";
    public static final String TIMEOUT_OUT_OF_RANGE = "ERR timeout is out of range";
    public static final String INVALID_FIRST_DB = "ERR invalid first DB index";
    public static final String INVALID_SECOND_DB = "ERR invalid second DB index";
    public static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";
    /** A script with flags, without allow-oom, started over maxmemory inside EXEC (Redis's scriptPrepareForRun). */
    public static final String SCRIPT_OOM = "OOM allow-oom flag is not set on the script, can not run it when used memory > 'maxmemory'";
    public static final String LFU_SELECTED = "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";
    public static final String LFU_NOT_SELECTED = "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";
    public static final String DEBUG_NOT_ALLOWED = "ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.";
    public static final String INVALID_COMMAND_SPECIFIED = "ERR Invalid command specified";
    public static final String COMMAND_HAS_NO_KEYS = "ERR The command has no key arguments";
    public static final String INVALID_ARGUMENT_COUNT_FOR_COMMAND = "ERR Invalid number of arguments specified for command";
    public static final String INVALID_ARGUMENTS_FOR_COMMAND = "ERR Invalid arguments specified for command";
    public static final String NO_SHUTDOWN_IN_PROGRESS = "ERR No shutdown in progress.";
    public static final String SLOWLOG_COUNT = "ERR count should be greater than or equal to -1";
    public static final String RESP2_NOT_SUPPORTED = "ERR RESP2 is not supported by this command";
    public static final String WRONG_PROTOCOL_TYPE = "ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false";
    public static final String MUST_BE_POSITIVE = "ERR value is out of range, must be positive";
    public static final String INDEX_OUT_OF_RANGE = "ERR index out of range";
    public static final String RANK_ZERO = "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list";
    public static final String LPOS_COUNT_NEGATIVE = "ERR COUNT can't be negative";
    public static final String MAXLEN_NEGATIVE = "ERR MAXLEN can't be negative";

    public static final String NUMKEYS_OVER_ARGS = "ERR Number of keys can't be greater than number of args";
    public static final String LIMIT_NEGATIVE = "ERR LIMIT can't be negative";
    public static final String HASH_VALUE_NOT_INTEGER = "ERR hash value is not an integer";
    public static final String HASH_VALUE_NOT_FLOAT = "ERR hash value is not a float";
    public static final String VALUE_NAN_OR_INFINITY = "ERR value is NaN or Infinity";
    public static final String FIELDS_MISSING = "ERR Mandatory argument FIELDS is missing or not at the right position";
    public static final String NUMFIELDS_NOT_POSITIVE = "ERR Number of fields must be a positive integer";
    public static final String NUMFIELDS_NOT_POSITIVE_HEXPIRE = "ERR Parameter `numFields` should be greater than 0";
    public static final String NUMFIELDS_MISMATCH = "ERR The `numfields` parameter must match the number of arguments";
    public static final String EXPIRE_TIME_NEGATIVE = "ERR invalid expire time, must be >= 0";
    public static final String INVALID_NUMBER_OF_FIELDS = "ERR invalid number of fields";
    public static final String MISSING_EXPIRE_TIME = "ERR missing expire time";
    public static final String FNX_FXX_CONFLICT = "ERR Only one of FXX or FNX arguments can be specified";
    public static final String HSETEX_EXPIRATION_CONFLICT = "ERR Only one of EX, PX, EXAT, PXAT or KEEPTTL arguments can be specified";

    /** "ERR unknown argument: <arg>" (HSETEX). */
    public static String unknownArgument(String argument) {
        return "ERR unknown argument: " + argument;
    }

    public static final String SORT_NOT_DOUBLE = "ERR One or more scores can't be converted into double";
    public static final String ZADD_NX_XX = "ERR XX and NX options at the same time are not compatible";
    public static final String ZADD_GT_LT_NX = "ERR GT, LT, and/or NX options at the same time are not compatible";
    public static final String ZADD_INCR_PAIR = "ERR INCR option supports a single increment-element pair";
    public static final String SCORE_NAN = "ERR resulting score is not a number (NaN)";
    public static final String MIN_MAX_NOT_FLOAT = "ERR min or max is not a float";
    public static final String MIN_MAX_NOT_LEX = "ERR min or max not valid string range item";
    public static final String LIMIT_NEEDS_BY = "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX";
    public static final String WITHSCORES_WITH_BYLEX = "ERR syntax error, WITHSCORES not supported in combination with BYLEX";
    public static final String NUMKEYS_POSITIVE = "ERR numkeys should be greater than 0";
    public static final String COUNT_POSITIVE = "ERR count should be greater than 0";
    public static final String LONG_RANGE = "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807";
    public static final String OUT_OF_RANGE = "ERR value is out of range";
    public static final String WEIGHT_NOT_FLOAT = "ERR weight value is not a float";

    /** "ERR at least 1 input key is needed for '<command>' command" (ZUNION and friends). */
    public static String atLeastOneInputKey(String command) {
        return "ERR at least 1 input key is needed for '" + command + "' command";
    }

    public static final String BIT_OFFSET = "ERR bit offset is not an integer or out of range";
    public static final String BIT_VALUE = "ERR bit is not an integer or out of range";
    public static final String BITPOS_BIT = "ERR The bit argument must be 1 or 0.";
    public static final String BITOP_NOT_ONE_KEY = "ERR BITOP NOT must be called with a single source key.";
    public static final String BITFIELD_TYPE = "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";
    public static final String BITFIELD_OVERFLOW = "ERR Invalid OVERFLOW type specified";
    public static final String BITFIELD_RO_GET_ONLY = "ERR BITFIELD_RO only supports the GET subcommand";

    public static final String NO_CONFIG_FILE = "ERR The server is running without a config file";

    public static final String NOPROTO = "NOPROTO unsupported protocol version";
    public static final String HELLO_PROTOCOL_NOT_INTEGER = "ERR Protocol version is not an integer or out of range";
    public static final String HELLO_NOAUTH = "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time";
    public static final String CLIENT_NAME_INVALID = "ERR Client names cannot contain spaces, newlines or special characters.";
    public static final String NO_SUCH_CLIENT = "ERR No such client";
    public static final String INVALID_CLIENT_ID = "ERR Invalid client ID";
    public static final String CLIENT_ID_NOT_POSITIVE = "ERR client-id should be greater than 0";
    public static final String PAUSE_MODE = "ERR CLIENT PAUSE mode must be WRITE or ALL";

    public static final String NOT_ALLOWED_IN_MULTI = "ERR Command not allowed inside a transaction";
    public static final String MULTI_NESTED = "ERR MULTI calls can not be nested";
    public static final String EXEC_WITHOUT_MULTI = "ERR EXEC without MULTI";
    public static final String DISCARD_WITHOUT_MULTI = "ERR DISCARD without MULTI";
    public static final String WATCH_IN_MULTI = "ERR WATCH inside MULTI is not allowed";
    public static final String EXECABORT = "EXECABORT Transaction discarded because of previous errors.";
    public static final String MONITOR_IN_MULTI = "ERR MONITOR isn't allowed for DENY BLOCKING client";

    /** "EXECABORT Transaction discarded because of: <reason>": EXEC itself refused by a check. */
    public static String execAbortedBecause(String reason) {
        return "EXECABORT Transaction discarded because of: " + reason;
    }

    /** "ERR Syntax error in HELLO option '<option>'". */
    public static String helloSyntax(String option) {
        return "ERR Syntax error in HELLO option '" + option + "'";
    }

    /** "ERR Unknown client type '<type>'". */
    public static String unknownClientType(String type) {
        return "ERR Unknown client type '" + type + "'";
    }

    /** "ERR No such user '<user>'". */
    public static String noSuchUser(String user) {
        return "ERR No such user '" + user + "'";
    }

    /** CLIENT SETINFO with an attribute other than LIB-NAME and LIB-VER. */
    public static String unrecognizedOption(String option) {
        return "ERR Unrecognized option '" + option + "'";
    }

    /** CLIENT SETINFO with a value holding spaces or special characters. */
    public static String clientAttributeInvalid(String attribute) {
        return "ERR " + attribute + " cannot contain spaces, newlines or special characters.";
    }

    /** "ERR unknown subcommand or wrong number of arguments for '<sub>'. Try <COMMAND> HELP.". */
    public static String subcommandSyntax(String subcommand, String container) {
        return "ERR unknown subcommand or wrong number of arguments for '" + truncate(subcommand, 128) + "'. Try "
                + container.toUpperCase(java.util.Locale.ROOT) + " HELP.";
    }

    /** CONFIG SET of a parameter that does not exist. */
    public static String configUnknown(String parameter) {
        return "ERR Unknown option or number of arguments for CONFIG SET - '" + parameter + "'";
    }

    /** CONFIG SET of a value that is refused, with Redis's reason. */
    public static String configSetFailed(String parameter, String reason) {
        return "ERR CONFIG SET failed (possibly related to argument '" + parameter + "') - " + reason;
    }

    /** CONFIG REWRITE that could not write the file. */
    public static String configRewriteFailed(String reason) {
        return "ERR Rewriting config file: " + reason;
    }

    /** The reply to a command whose handler failed unexpectedly (a bug); the details go to the log. */
    public static final String INTERNAL = "ERR internal error while running the command; see the server log";
    public static final String MAX_CLIENTS = "ERR max number of clients reached";
    /** Sent to a non-loopback client, then the connection closes (protected mode, no password). */
    public static final String PROTECTED_MODE = "DENIED Redis is running in protected mode because protected "
            + "mode is enabled and no password is set for the default user. In this mode connections are only accepted "
            + "from the loopback interface. If you want to connect from external computers to Redis you may adopt one of "
            + "the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' "
            + "from the loopback interface by connecting to Redis from the same host the server is running, however MAKE "
            + "SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change "
            + "permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, "
            + "and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server "
            + "manually just for testing, restart it with the '--protected-mode no' option. 4) Setup a an authentication "
            + "password for the default user. NOTE: You only need to do one of the above things in order for the server "
            + "to start accepting connections from the outside.";

    /** "ERR unknown command '<name>', with args beginning with: <'arg' ...>" (name cut at 128 bytes). */
    public static String unknownCommand(String name, String quotedArgs) {
        return "ERR unknown command '" + truncate(name, 128) + "', with args beginning with: " + quotedArgs;
    }

    /** The refusal of a command in RESP2 subscribed mode. */
    public static String notInSubscribedMode(String fullName) {
        return "ERR Can't execute '" + fullName + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context";
    }

    /** "ERR wrong number of arguments for '<fullname>' command". */
    public static String wrongArity(String fullName) {
        return "ERR wrong number of arguments for '" + fullName + "' command";
    }

    /** "ERR invalid expire time in '<command>' command" (SET, GETEX, SETEX and the EXPIRE family). */
    public static String invalidExpire(String command) {
        return "ERR invalid expire time in '" + command + "' command";
    }

    /** "ERR Unsupported option <option>" (EXPIRE and friends). */
    public static String unsupportedOption(String option) {
        return "ERR Unsupported option " + option;
    }

    /** "ERR unknown subcommand '<arg>'. Try <COMMAND> HELP.". */
    public static String unknownSubcommand(String subcommand, String container) {
        return "ERR unknown subcommand '" + truncate(subcommand, 128) + "'. Try " + container.toUpperCase(java.util.Locale.ROOT) + " HELP.";
    }

    static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
    public static final String GEO_UNIT = "ERR unsupported unit provided. please use M, KM, FT, MI";
    public static final String GEO_INVALID_PAIR = "ERR invalid longitude,latitude pair ";
    public static final String GEO_NEED_RADIUS = "ERR need numeric radius";
    public static final String GEO_NEGATIVE_RADIUS = "ERR radius cannot be negative";
    public static final String GEO_NEED_WIDTH = "ERR need numeric width";
    public static final String GEO_NEED_HEIGHT = "ERR need numeric height";
    public static final String GEO_NEGATIVE_BOX = "ERR height or width cannot be negative";
    public static final String GEO_MEMBER_NOT_DECODED = "ERR could not decode requested zset member";
    public static final String GEO_COUNT = "ERR COUNT must be > 0";
    public static final String GEOSEARCHSTORE_WITH = "ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options";
    public static final String GEORADIUS_STORE_WITH = "ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options";
    public static final String GEO_NEED_FROM = "ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for ";
    public static final String GEO_NEED_BY = "ERR exactly one of BYRADIUS and BYBOX can be specified for ";
    public static final String GEO_ANY_NEEDS_COUNT = "ERR the ANY argument requires COUNT argument";

    public static final String HLL_WRONGTYPE = "WRONGTYPE Key is not a valid HyperLogLog string value.";
    public static final String HLL_CORRUPTED = "INVALIDOBJ Corrupted HLL object detected";
    public static final String HLL_NO_KEY = "ERR The specified key does not exist";
    public static final String HLL_NOT_SPARSE = "ERR HLL encoding is not sparse";

    public static String hllUnknownSubcommand(String subcommand) {
        return "ERR Unknown PFDEBUG subcommand '" + subcommand + "'";
    }

    public static final String TRACKING_REDIRECT_MISSING = "ERR The client ID you want redirect to does not exist";
    public static final String TRACKING_ONE_REDIRECT = "ERR A client can only redirect to a single other client";
    public static final String TRACKING_PREFIX_NEEDS_BCAST = "ERR PREFIX option requires BCAST mode to be enabled";
    public static final String TRACKING_BCAST_SWITCH = "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.";
    public static final String TRACKING_OPT_WITH_BCAST = "ERR OPTIN and OPTOUT are not compatible with BCAST";
    public static final String TRACKING_OPTIN_AND_OPTOUT = "ERR You can't specify both OPTIN mode and OPTOUT mode";
    public static final String TRACKING_OPT_SWITCH = "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.";
    public static final String CACHING_NOT_TRACKING = "ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled";
    public static final String CACHING_YES_NEEDS_OPTIN = "ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.";
    public static final String CACHING_NO_NEEDS_OPTOUT = "ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.";

    /** CLIENT TRACKING's error for overlapping BCAST prefixes, against an existing one or another given one. */
    public static String trackingPrefixOverlap(String prefix, String other, boolean existing) {
        return "ERR Prefix '" + prefix + "' overlaps with " + (existing ? "an existing" : "another provided")
                + " prefix '" + other + "'. Prefixes for a single client must not overlap.";
    }

    public static final String STREAM_INVALID_ID = "ERR Invalid stream ID specified as stream command argument";
    public static final String XADD_ID_TOO_SMALL = "ERR The ID specified in XADD is equal or smaller than the target stream top item";
    public static final String XADD_ID_ZERO = "ERR The ID specified in XADD must be greater than 0-0";
    public static final String STREAM_EXHAUSTED = "ERR The stream has exhausted the last possible ID, unable to add more items";
    public static final String STREAM_ELEMENTS_TOO_LARGE = "ERR Elements are too large to be stored";
    public static final String STREAM_MAXLEN_MINID = "ERR syntax error, MAXLEN and MINID options at the same time are not compatible";
    public static final String STREAM_MAXLEN_NEGATIVE = "ERR The MAXLEN argument must be >= 0.";
    public static final String STREAM_LIMIT_NEGATIVE = "ERR The LIMIT argument must be >= 0.";
    public static final String STREAM_LIMIT_NO_STRATEGY = "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy";
    public static final String XTRIM_NO_STRATEGY = "ERR syntax error, XTRIM must be called with a trimming strategy";
    public static final String STREAM_LIMIT_NO_APPROX = "ERR syntax error, LIMIT cannot be used without the special ~ option";
    public static final String STREAM_INVALID_START = "ERR invalid start ID for the interval";
    public static final String STREAM_INVALID_END = "ERR invalid end ID for the interval";
    public static final String XREAD_GROUP_OPTION = "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.";
    public static final String XREAD_NOACK_OPTION = "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.";
    public static final String XREADGROUP_MISSING_GROUP = "ERR Missing GROUP option for XREADGROUP";
    public static final String XREADGROUP_DOLLAR = "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.";
    public static final String XREAD_GREATER_ID = "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.";
    public static final String ENTRIESREAD_INVALID = "ERR value for ENTRIESREAD must be positive or -1";
    public static final String XGROUP_NO_KEY = "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.";
    public static final String BUSYGROUP = "BUSYGROUP Consumer Group name already exists";
    public static final String XCLAIM_MIN_IDLE = "ERR Invalid min-idle-time argument for XCLAIM";
    public static final String XCLAIM_IDLE = "ERR Invalid IDLE option argument for XCLAIM";
    public static final String XCLAIM_TIME = "ERR Invalid TIME option argument for XCLAIM";
    public static final String XCLAIM_RETRYCOUNT = "ERR Invalid RETRYCOUNT option argument for XCLAIM";
    public static final String XAUTOCLAIM_MIN_IDLE = "ERR Invalid min-idle-time argument for XAUTOCLAIM";
    public static final String XAUTOCLAIM_COUNT = "ERR COUNT must be > 0";
    public static final String XSETID_BELOW_GIVEN_MAX_DELETED = "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id";
    public static final String XSETID_BELOW_MAX_DELETED = "ERR The ID specified in XSETID is smaller than current max_deleted_entry_id";
    public static final String XSETID_BELOW_TOP = "ERR The ID specified in XSETID is smaller than the target stream top item";
    public static final String XSETID_ENTRIES_ADDED_BELOW_LENGTH = "ERR The entries_added specified in XSETID is smaller than the target stream length";
    public static final String XSETID_ENTRIES_ADDED_NEGATIVE = "ERR entries_added must be positive";

    /** XREAD / XREADGROUP with keys and IDs that do not pair up. */
    public static String unbalancedStreams(String command, char symbol) {
        return "ERR Unbalanced '" + command + "' list of streams: for each stream key an ID or '" + symbol
                + "' must be specified.";
    }

    /** XREADGROUP on a missing key or group. */
    public static String noGroupForXreadgroup(String key, String group) {
        return "NOGROUP No such key '" + key + "' or consumer group '" + group + "' in XREADGROUP with GROUP option";
    }

    /** XPENDING, XCLAIM, XAUTOCLAIM on a missing key or group. */
    public static String noKeyOrGroup(String key, String group) {
        return "NOGROUP No such key '" + key + "' or consumer group '" + group + "'";
    }

    /** XGROUP and XINFO CONSUMERS naming a group the stream does not have. */
    public static String noGroupForKey(String group, String key) {
        return "NOGROUP No such consumer group '" + group + "' for key name '" + key + "'";
    }

    /** "ERR Unrecognized XCLAIM option '<option>'". */
    public static String unrecognizedXclaimOption(String option) {
        return "ERR Unrecognized XCLAIM option '" + option + "'";
    }
    public static final String ERR = "ERR";
    public static final String BGSAVE_IN_PROGRESS = "ERR Background save already in progress";
    public static final String MISCONF = "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. "
            + "Commands that may modify the data set are disabled, because this instance is configured to report errors during writes "
            + "if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.";
    public static final String SHUTDOWN_SAVE_FAILED = "ERR Errors trying to SHUTDOWN. Check logs.";
    public static final String BUSYKEY = "BUSYKEY Target key name already exists.";
    public static final String FUNCTION_RESTORE_POLICY = "ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.";
    public static final String DUMP_PAYLOAD = "ERR DUMP payload version or checksum are wrong";
    public static final String BAD_DATA_FORMAT = "ERR Bad data format";
    public static final String INVALID_TTL = "ERR Invalid TTL value, must be >= 0";
    public static final String INVALID_IDLETIME = "ERR Invalid IDLETIME value, must be >= 0";
    public static final String INVALID_FREQ = "ERR Invalid FREQ value, must be >= 0 and <= 255";
    public static final String NUMKEYS_NEGATIVE = "ERR Number of keys can't be negative";
    public static final String NOSCRIPT = "NOSCRIPT No matching script. Please use EVAL.";
    public static final String NOTBUSY = "NOTBUSY No scripts in execution right now.";
    public static final String UNKILLABLE = "UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.";
    public static final String SCRIPT_FLUSH_OPTION = "ERR SCRIPT FLUSH only support SYNC|ASYNC option";
    public static final String INVALID_SHEBANG = "ERR Invalid script shebang";
    public static final String SCRIPT_NO_ARGUMENTS = "ERR Please specify at least one argument for this redis lib call";
    public static final String SCRIPT_BAD_ARGUMENTS = "ERR Lua redis lib command arguments must be strings or integers";
    public static final String SCRIPT_UNKNOWN_COMMAND = "ERR Unknown Redis command called from script";
    public static final String SCRIPT_WRONG_ARITY = "ERR Wrong number of args calling Redis command from script";
    public static final String SCRIPT_NOT_ALLOWED = "ERR This Redis command is not allowed from script";
    public static final String SCRIPT_READ_ONLY = "ERR Write commands are not allowed from read-only scripts.";
    public static final String SCRIPT_KILLED = "ERR Script killed by user with SCRIPT KILL...";
    public static final String SCRIPT_WRITE_FLAG_RO = "ERR Can not execute a script with write flag using *_ro command.";
    public static final String FUNCTION_NOT_FOUND = "ERR Function not found";
    public static final String BAD_NUMBER_OF_KEYS = "ERR Bad number of keys provided";
    public static final String LIBRARY_NOT_FOUND = "ERR Library not found";
    public static final String FUNCTION_FLUSH_OPTION = "ERR FUNCTION FLUSH only supports SYNC|ASYNC option";
    public static final String LIBRARY_NAME_MISSING = "ERR library name argument was not given";

    /** FUNCTION LOAD with a word other than REPLACE before the code. */
    public static String unknownOption(String option) {
        return "ERR Unknown option given: " + option;
    }

    /** A shebang naming another engine than lua ("#!luax"). */
    public static String unexpectedEngine(String engine) {
        return "ERR Unexpected engine in script shebang: #!" + engine;
    }

    public static String unknownShebangOption(String option) {
        return "ERR Unknown lua shebang option: " + option;
    }

    public static String unexpectedShebangFlag(String flag) {
        return "ERR Unexpected flag in script shebang: " + flag;
    }

    /** EVAL/SCRIPT LOAD of a body that does not compile. */
    public static String scriptCompile(String luaMessage) {
        return "ERR Error compiling script (new function): " + luaMessage;
    }
}
