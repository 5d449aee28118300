package io.spinel.scripting;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * A syntax check of Lua 5.1 source that reports the first error as Lua 5.1's parser words it,
 * {@code user_script:3: 'end' expected (to close 'if' at line 1) near '<eof>'}: LuaJ's compiler
 * says {@code 'end' expected} without the token it stopped at, {@code unexpected symbol 61 (=)}
 * for {@code unexpected symbol near '='}, and has no Lua 5.1 numeral rules. It is asked only
 * when LuaJ refused a chunk; when it finds nothing (a chunk only Lua 5.2 refuses), LuaJ's
 * message stands.
 *
 * <p>A recursive-descent recognizer of Lua 5.1's grammar (lparser.c's structure: chunk,
 * statement, exprstat and assignment, primaryexp, simpleexp, constructor, body) over a lexer
 * with Lua 5.1's tokens and errors (llex.c: strings and escapes, long brackets and comments,
 * numerals checked as luaO_str2d checks them). It builds no code, so it reports only what the
 * parser itself finds. Not thread-safe: one instance per check.
 */
final class Lua51Syntax {
    private static final Set<String> RESERVED = Set.of("and", "break", "do", "else", "elseif", "end", "false", "for",
            "function", "if", "in", "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while");

    /** Token kinds besides single characters (which are their own code) and reserved words (their text). */
    private static final int EOS = -1;
    private static final int NAME = -2;
    private static final int STRING = -3;
    private static final int NUMBER = -4;
    private static final int RESERVED_WORD = -5;
    private static final int OPERATOR = -6; // .. ... == >= <= ~=

    /** Thrown to stop at the first error. */
    private static final class SyntaxError extends RuntimeException {
        SyntaxError(String message) {
            super(message, null, false, false);
        }
    }

    private final byte[] src;
    private final String chunk;
    private int pos;
    private int line = 1;
    /** The current token: kind, and its text as Lua 5.1's buffer holds it. */
    private int kind;
    private String text;
    /** The line of the token before the current one (funcargs' ambiguity check). */
    private int lastLine = 1;
    private int loops;
    private boolean vararg = true;
    private int depth;
    private static final int MAX_LEVELS = 200;

    private Lua51Syntax(byte[] src, String chunk) {
        this.src = src;
        this.chunk = chunk;
    }

    /** Lua 5.1's error for {@code source}, "chunk:line: message near 'token'", or null when it parses. */
    static String check(byte[] source, String chunkName) {
        Lua51Syntax s = new Lua51Syntax(source, org.luaj.vm2.Lua.chunkid(chunkName));
        try {
            s.next();
            s.block();
            if (s.kind != EOS) {
                s.expected("<eof>");
            }
            return null;
        } catch (SyntaxError e) {
            return e.getMessage();
        } catch (StackOverflowError e) {
            return null;
        }
    }

    /** enterlevel: Lua 5.1 refuses nesting deeper than LUAI_MAXCCALLS (200), without a token. */
    private void enterLevel() {
        if (++depth > MAX_LEVELS) {
            throw lexError("chunk has too many syntax levels", null);
        }
    }

    // Errors

    private SyntaxError error(String message) {
        return new SyntaxError(chunk + ":" + line + ": " + message + " near '" + near() + "'");
    }

    private SyntaxError lexError(String message, String token) {
        return new SyntaxError(chunk + ":" + line + ": " + message + (token == null ? "" : " near '" + token + "'"));
    }

    private String near() {
        return switch (kind) {
            case EOS -> "<eof>";
            default -> text;
        };
    }

    private void expected(String token) {
        throw error("'" + token + "' expected");
    }

    // Lexer (llex.c)

    private int peekChar(int offset) {
        int at = pos + offset;
        return at < src.length ? src[at] & 0xff : -1;
    }

    private void next() {
        lastLine = line;
        StringBuilder buffer = new StringBuilder();
        while (true) {
            int c = peekChar(0);
            switch (c) {
                case -1 -> {
                    kind = EOS;
                    text = "<eof>";
                    return;
                }
                case '\n', '\r' -> newline();
                case '-' -> {
                    if (peekChar(1) != '-') {
                        single('-');
                        return;
                    }
                    pos += 2;
                    if (peekChar(0) == '[') {
                        int sep = skipSep(buffer);
                        buffer.setLength(0);
                        if (sep >= 0) {
                            longString(buffer, sep, true);
                            buffer.setLength(0);
                            continue;
                        }
                    }
                    while (peekChar(0) != -1 && peekChar(0) != '\n' && peekChar(0) != '\r') {
                        pos++;
                    }
                }
                case '[' -> {
                    int sep = skipSep(buffer);
                    if (sep >= 0) {
                        longString(buffer, sep, false);
                        kind = STRING;
                        text = buffer.toString();
                        return;
                    }
                    if (sep == -1) {
                        kind = '[';
                        text = "[";
                        return;
                    }
                    throw lexError("invalid long string delimiter", buffer.toString());
                }
                case '=' -> {
                    operator(peekChar(1) == '=' ? "==" : null, '=');
                    return;
                }
                case '<' -> {
                    operator(peekChar(1) == '=' ? "<=" : null, '<');
                    return;
                }
                case '>' -> {
                    operator(peekChar(1) == '=' ? ">=" : null, '>');
                    return;
                }
                case '~' -> {
                    operator(peekChar(1) == '=' ? "~=" : null, '~');
                    return;
                }
                case '"', '\'' -> {
                    string(c, buffer);
                    return;
                }
                case '.' -> {
                    if (peekChar(1) == '.') {
                        operator(peekChar(2) == '.' ? "..." : "..", '.');
                        return;
                    }
                    if (!isDigit(peekChar(1))) {
                        single('.');
                        return;
                    }
                    numeral(buffer);
                    return;
                }
                default -> {
                    if (c == ' ' || c == '\t' || c == 0x0b || c == '\f') {
                        pos++;
                    } else if (isDigit(c)) {
                        numeral(buffer);
                        return;
                    } else if (isAlpha(c) || c == '_') {
                        int start = pos;
                        while (isAlnum(peekChar(0)) || peekChar(0) == '_') {
                            pos++;
                        }
                        text = new String(src, start, pos - start, StandardCharsets.ISO_8859_1);
                        kind = RESERVED.contains(text) ? RESERVED_WORD : NAME;
                        return;
                    } else {
                        single(c);
                        return;
                    }
                }
            }
        }
    }

    private void single(int c) {
        pos++;
        kind = c;
        text = c < 32 || c == 127 ? "char(" + c + ")" : String.valueOf((char) c);
    }

    private void operator(String two, int one) {
        if (two == null) {
            single(one);
            return;
        }
        pos += two.length();
        kind = OPERATOR;
        text = two;
    }

    /** inclinenumber: \n, \r, \n\r or \r\n count as one line. */
    private void newline() {
        int old = peekChar(0);
        pos++;
        int c = peekChar(0);
        if ((c == '\n' || c == '\r') && c != old) {
            pos++;
        }
        line++;
    }

    /** At '[' or ']': the count of '=' when a second bracket of the same kind follows, else -1 - count. */
    private int skipSep(StringBuilder buffer) {
        int bracket = peekChar(0);
        buffer.append((char) bracket);
        pos++;
        int count = 0;
        while (peekChar(0) == '=') {
            buffer.append('=');
            pos++;
            count++;
        }
        return peekChar(0) == bracket ? count : -count - 1;
    }

    private void longString(StringBuilder buffer, int sep, boolean comment) {
        buffer.append((char) peekChar(0));
        pos++;
        if (peekChar(0) == '\n' || peekChar(0) == '\r') {
            newline();
        }
        while (true) {
            int c = peekChar(0);
            switch (c) {
                case -1 -> throw lexError(comment ? "unfinished long comment" : "unfinished long string", "<eof>");
                case '[' -> {
                    if (skipSep(buffer) == sep) {
                        buffer.append('[');
                        pos++;
                        if (sep == 0) {
                            throw lexError("nesting of [[...]] is deprecated", "[");
                        }
                    }
                }
                case ']' -> {
                    if (skipSep(buffer) == sep) {
                        buffer.append(']');
                        pos++;
                        return;
                    }
                }
                case '\n', '\r' -> {
                    buffer.append('\n');
                    newline();
                }
                default -> {
                    buffer.append((char) c);
                    pos++;
                }
            }
        }
    }

    private void string(int delimiter, StringBuilder buffer) {
        buffer.append((char) delimiter);
        pos++;
        while (peekChar(0) != delimiter) {
            int c = peekChar(0);
            switch (c) {
                case -1 -> throw lexError("unfinished string", "<eof>");
                case '\n', '\r' -> throw lexError("unfinished string", buffer.toString());
                case '\\' -> {
                    pos++;
                    int e = peekChar(0);
                    switch (e) {
                        case 'a' -> append(buffer, 7);
                        case 'b' -> append(buffer, 8);
                        case 'f' -> append(buffer, 12);
                        case 'n' -> append(buffer, '\n');
                        case 'r' -> append(buffer, '\r');
                        case 't' -> append(buffer, '\t');
                        case 'v' -> append(buffer, 11);
                        case '\n', '\r' -> {
                            buffer.append('\n');
                            newline();
                        }
                        case -1 -> {
                            // the loop reports the unfinished string
                        }
                        default -> {
                            if (!isDigit(e)) {
                                append(buffer, e);
                            } else {
                                int value = 0;
                                for (int i = 0; i < 3 && isDigit(peekChar(0)); i++) {
                                    value = 10 * value + (peekChar(0) - '0');
                                    pos++;
                                }
                                if (value > 255) {
                                    throw lexError("escape sequence too large", buffer.toString());
                                }
                                buffer.append((char) value);
                            }
                        }
                    }
                }
                default -> {
                    buffer.append((char) c);
                    pos++;
                }
            }
        }
        buffer.append((char) delimiter);
        pos++;
        kind = STRING;
        text = buffer.toString();
    }

    private void append(StringBuilder buffer, int c) {
        buffer.append((char) c);
        pos++;
    }

    /** read_numeral, then luaO_str2d's verdict on the text. */
    private void numeral(StringBuilder buffer) {
        while (isDigit(peekChar(0)) || peekChar(0) == '.') {
            buffer.append((char) peekChar(0));
            pos++;
        }
        if (peekChar(0) == 'e' || peekChar(0) == 'E') {
            buffer.append((char) peekChar(0));
            pos++;
            if (peekChar(0) == '+' || peekChar(0) == '-') {
                buffer.append((char) peekChar(0));
                pos++;
            }
        }
        while (isAlnum(peekChar(0)) || peekChar(0) == '_') {
            buffer.append((char) peekChar(0));
            pos++;
        }
        text = buffer.toString();
        if (!validNumber(text)) {
            throw lexError("malformed number", text);
        }
        kind = NUMBER;
    }

    /** luaO_str2d: strtod (glibc, hexadecimal included) must take it all, or strtoul base 16 after "0x". */
    static boolean validNumber(String s) {
        int end = strtodLength(s);
        if (end == s.length()) {
            return true;
        }
        if (end > 0 && (s.charAt(end) == 'x' || s.charAt(end) == 'X')) {
            int i = 0;
            if (s.length() > 2 && s.charAt(0) == '0' && (s.charAt(1) == 'x' || s.charAt(1) == 'X') && hexDigit(s, 2)) {
                i = 2;
            }
            int start = i;
            while (hexDigit(s, i)) {
                i++;
            }
            return i > start && i == s.length();
        }
        return false;
    }

    /** How many characters of {@code s} glibc's strtod converts (0: none). */
    private static int strtodLength(String s) {
        int i = 0;
        if (s.length() > 2 && s.charAt(0) == '0' && (s.charAt(1) == 'x' || s.charAt(1) == 'X')
                && (hexDigit(s, 2) || (s.length() > 3 && s.charAt(2) == '.' && hexDigit(s, 3)))) {
            i = 2;
            while (hexDigit(s, i)) {
                i++;
            }
            if (i < s.length() && s.charAt(i) == '.') {
                i++;
                while (hexDigit(s, i)) {
                    i++;
                }
            }
            return exponent(s, i, 'p');
        }
        int digits = 0;
        while (i < s.length() && isDigit(s.charAt(i))) {
            i++;
            digits++;
        }
        if (i < s.length() && s.charAt(i) == '.') {
            i++;
            while (i < s.length() && isDigit(s.charAt(i))) {
                i++;
                digits++;
            }
        }
        return digits == 0 ? 0 : exponent(s, i, 'e');
    }

    /** An exponent letter, optional sign and at least one digit are consumed; else nothing. */
    private static int exponent(String s, int i, char letter) {
        if (i < s.length() && Character.toLowerCase(s.charAt(i)) == letter) {
            int j = i + 1;
            if (j < s.length() && (s.charAt(j) == '+' || s.charAt(j) == '-')) {
                j++;
            }
            if (j < s.length() && isDigit(s.charAt(j))) {
                while (j < s.length() && isDigit(s.charAt(j))) {
                    j++;
                }
                return j;
            }
        }
        return i;
    }

    private static boolean hexDigit(String s, int i) {
        return i < s.length() && Character.digit(s.charAt(i), 16) >= 0;
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAlpha(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isAlnum(int c) {
        return isAlpha(c) || isDigit(c);
    }

    // Parser (lparser.c)

    private boolean is(String token) {
        return (kind == RESERVED_WORD || kind == OPERATOR || kind >= 0) && text.equals(token);
    }

    private boolean testNext(String token) {
        if (is(token)) {
            next();
            return true;
        }
        return false;
    }

    private void checkNext(String token) {
        if (!is(token)) {
            expected(token);
        }
        next();
    }

    private void checkName() {
        if (kind != NAME) {
            expected("<name>");
        }
        next();
    }

    /** check_match: the closing token, naming the opening one when it is on another line. */
    private void checkMatch(String what, String who, int where) {
        if (!testNext(what)) {
            if (where == line) {
                expected(what);
            }
            throw error("'" + what + "' expected (to close '" + who + "' at line " + where + ")");
        }
    }

    private boolean blockFollow() {
        return kind == EOS || is("else") || is("elseif") || is("end") || is("until");
    }

    private void block() {
        enterLevel();
        boolean last = false;
        while (!last && !blockFollow()) {
            last = statement();
            testNext(";");
        }
        depth--;
    }

    /** One statement; true for the last one of a block (return, break). */
    private boolean statement() {
        int at = line;
        if (kind == RESERVED_WORD) {
            switch (text) {
                case "if" -> {
                    next();
                    expression();
                    checkNext("then");
                    block();
                    while (is("elseif")) {
                        next();
                        expression();
                        checkNext("then");
                        block();
                    }
                    if (testNext("else")) {
                        block();
                    }
                    checkMatch("end", "if", at);
                    return false;
                }
                case "while" -> {
                    next();
                    expression();
                    checkNext("do");
                    loopBlock();
                    checkMatch("end", "while", at);
                    return false;
                }
                case "do" -> {
                    next();
                    block();
                    checkMatch("end", "do", at);
                    return false;
                }
                case "for" -> {
                    forStatement(at);
                    return false;
                }
                case "repeat" -> {
                    next();
                    loops++;
                    block();
                    loops--;
                    checkMatch("until", "repeat", at);
                    expression();
                    return false;
                }
                case "function" -> {
                    next();
                    checkName();
                    while (testNext(".")) {
                        checkName();
                    }
                    if (testNext(":")) {
                        checkName();
                    }
                    body(at);
                    return false;
                }
                case "local" -> {
                    next();
                    if (testNext("function")) {
                        checkName();
                        body(line);
                    } else {
                        do {
                            checkName();
                        } while (testNext(","));
                        if (testNext("=")) {
                            expressionList();
                        }
                    }
                    return false;
                }
                case "return" -> {
                    next();
                    if (!blockFollow() && !is(";")) {
                        expressionList();
                    }
                    return true;
                }
                case "break" -> {
                    next();
                    if (loops == 0) {
                        throw error("no loop to break");
                    }
                    return true;
                }
                default -> {
                    // an expression statement starting with a reserved word fails in primaryexp
                }
            }
        }
        expressionStatement();
        return false;
    }

    private void loopBlock() {
        loops++;
        block();
        loops--;
    }

    private void forStatement(int at) {
        next();
        checkName();
        if (is("=")) {
            next();
            expression();
            checkNext(",");
            expression();
            if (testNext(",")) {
                expression();
            }
        } else if (is(",") || is("in")) {
            while (testNext(",")) {
                checkName();
            }
            checkNext("in");
            expressionList();
        } else {
            throw error("'=' or 'in' expected");
        }
        checkNext("do");
        loopBlock();
        checkMatch("end", "for", at);
    }

    /** exprstat: a call, or an assignment to variables. */
    private void expressionStatement() {
        int shape = primaryExpression();
        if (shape == CALL) {
            return;
        }
        while (true) {
            if (shape != VARIABLE) {
                throw error("syntax error");
            }
            if (!testNext(",")) {
                break;
            }
            shape = primaryExpression();
        }
        checkNext("=");
        expressionList();
    }

    private static final int VARIABLE = 1;
    private static final int CALL = 2;
    private static final int OTHER = 3;

    /** primaryexp: a name or parenthesized expression and its suffixes; returns its shape. */
    private int primaryExpression() {
        int shape;
        if (kind == NAME) {
            next();
            shape = VARIABLE;
        } else if (is("(")) {
            int at = line;
            next();
            expression();
            checkMatch(")", "(", at);
            shape = OTHER;
        } else {
            throw error("unexpected symbol");
        }
        while (true) {
            if (is(".")) {
                next();
                checkName();
                shape = VARIABLE;
            } else if (is("[")) {
                next();
                expression();
                checkNext("]");
                shape = VARIABLE;
            } else if (is(":")) {
                next();
                checkName();
                functionArguments();
                shape = CALL;
            } else if (is("(") || kind == STRING || is("{")) {
                functionArguments();
                shape = CALL;
            } else {
                return shape;
            }
        }
    }

    private void functionArguments() {
        if (kind == STRING) {
            next();
        } else if (is("{")) {
            constructor();
        } else if (is("(")) {
            int at = line;
            if (at != lastLine) {
                throw error("ambiguous syntax (function call x new statement)");
            }
            next();
            if (!is(")")) {
                expressionList();
            }
            checkMatch(")", "(", at);
        } else {
            throw error("function arguments expected");
        }
    }

    private void expressionList() {
        expression();
        while (testNext(",")) {
            expression();
        }
    }

    /** subexpr: unary operators, a simple expression, then binary operators and their operands. */
    private void expression() {
        enterLevel();
        while (is("not") || is("-") || is("#")) {
            next();
        }
        simpleExpression();
        while (binaryOperator()) {
            next();
            while (is("not") || is("-") || is("#")) {
                next();
            }
            simpleExpression();
        }
        depth--;
    }

    private boolean binaryOperator() {
        if (kind == OPERATOR) {
            return !text.equals("...");
        }
        if (kind == RESERVED_WORD) {
            return text.equals("and") || text.equals("or");
        }
        return kind == '+' || kind == '-' || kind == '*' || kind == '/' || kind == '%' || kind == '^' || kind == '<' || kind == '>';
    }

    private void simpleExpression() {
        if (kind == NUMBER || kind == STRING || is("nil") || is("true") || is("false")) {
            next();
        } else if (is("...")) {
            if (!vararg) {
                throw error("cannot use '...' outside a vararg function");
            }
            next();
        } else if (is("{")) {
            constructor();
        } else if (is("function")) {
            next();
            body(line);
        } else {
            primaryExpression();
        }
    }

    private void constructor() {
        int at = line;
        checkNext("{");
        while (!is("}")) {
            if (kind == NAME && nextIsAssign()) {
                next();
                checkNext("=");
                expression();
            } else if (is("[")) {
                next();
                expression();
                checkNext("]");
                checkNext("=");
                expression();
            } else {
                expression();
            }
            if (!testNext(",") && !testNext(";")) {
                break;
            }
        }
        checkMatch("}", "{", at);
    }

    /** Lookahead in a constructor: whether the token after the current name is '='. */
    private boolean nextIsAssign() {
        int i = pos;
        while (i < src.length && (src[i] == ' ' || src[i] == '\t' || src[i] == '\n' || src[i] == '\r' || src[i] == 0x0b || src[i] == '\f')) {
            i++;
        }
        return i < src.length && src[i] == '=' && (i + 1 >= src.length || src[i + 1] != '=');
    }

    /** body: parameters, then a block closed by 'end'. */
    private void body(int at) {
        checkNext("(");
        boolean hasVararg = false;
        if (!is(")")) {
            do {
                if (kind == NAME) {
                    next();
                } else if (is("...")) {
                    next();
                    hasVararg = true;
                } else {
                    throw error("<name> or '...' expected");
                }
            } while (!hasVararg && testNext(","));
        }
        checkNext(")");
        boolean outerVararg = vararg;
        int outerLoops = loops;
        vararg = hasVararg;
        loops = 0;
        block();
        vararg = outerVararg;
        loops = outerLoops;
        checkMatch("end", "function", at);
    }
}
