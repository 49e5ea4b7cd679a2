package io.rrsis4j.io.torch;

import java.io.EOFException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says in a user's words why a pickle could not be read. The unpickler (Pyrolite) reports in its own terms
 * ("net.razorvine.pickle.PickleException: expected zero arguments for construction of ClassDict (for ...). This
 * happens when an unsupported/unregistered class ..."), which name Java classes and suggest fixes to our code,
 * not to the user's file.
 */
public final class PickleFailures {
    private static final Pattern CONSTRUCTS = Pattern.compile("construction of ClassDict \\(for ([\\w.]+)\\)");
    private static final Pattern OPCODE = Pattern.compile("(?i)(invalid|unsupported|unknown) (pickle )?opcode[: ]*(\\S*)");
    private static final Pattern JAVA_CLASS = Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z]\\w*(?:Exception|Error)\\b:?\\s*");

    private PickleFailures() {}

    /** One line saying what is wrong with the pickle, without Java class names. */
    public static String describe(Throwable e) {
        if (e instanceof StackOverflowError) {
            return "objects nested too deeply (or a container that holds itself)";
        }
        if (e instanceof EOFException || e instanceof ArrayIndexOutOfBoundsException
                || e instanceof IndexOutOfBoundsException) {
            return "the pickle ends early (truncated or corrupt)";
        }
        String message = e.getMessage() == null ? "" : e.getMessage();
        Matcher constructs = CONSTRUCTS.matcher(message);
        if (constructs.find()) {
            return "it builds a Python object of class " + constructs.group(1)
                    + ", which a file of plain lists, dicts, strings and numbers does not hold (not the expected"
                    + " file, or crafted)";
        }
        Matcher opcode = OPCODE.matcher(message);
        if (opcode.find()) {
            return "unknown pickle opcode " + opcode.group(3) + " (not a pickle, or corrupt)";
        }
        if (e instanceof ClassCastException || e instanceof NullPointerException) {
            return "its opcodes do not build a valid object (corrupt or crafted)";
        }
        String plain = JAVA_CLASS.matcher(message.replace('\n', ' ')).replaceAll("").strip();
        int sentence = plain.indexOf(". ");
        if (sentence > 0) {
            plain = plain.substring(0, sentence); // Pyrolite's second sentence is advice for the programmer
        }
        return plain.isEmpty() ? "corrupt (" + kind(e) + ")" : plain;
    }

    private static String kind(Throwable e) {
        String name = e.getClass().getSimpleName().replaceAll("(Exception|Error)$", "");
        return name.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
    }
}
