package dev.carafe.template;

/**
 * A template that could not be found, parsed or rendered. The message names the file and line, for
 * the log and the debug page; outside debug mode the client only sees a generic {@code 500}.
 */
public class TemplateException extends RuntimeException {
    private final String template;
    private final int line;
    private final String excerpt;

    /**
     * @param template the template's name, or {@code null} when unknown
     * @param line     the 1-based line, or 0 when unknown
     */
    public TemplateException(String template, int line, String message, Throwable cause) {
        this(template, line, message, cause, null);
    }

    /** Like the other constructor, with the lines around the error for the debug page (or {@code null}). */
    public TemplateException(String template, int line, String message, Throwable cause, String excerpt) {
        super(describe(template, line, message), cause);
        this.template = template;
        this.line = line;
        this.excerpt = excerpt;
    }

    /** A few numbered source lines around {@link #line()}, the failing one marked with {@code >}; or {@code null}. */
    public String excerpt() {
        return excerpt;
    }

    private static String describe(String template, int line, String message) {
        if (template == null) return message;
        return message + " (" + template + (line > 0 ? ", line " + line : "") + ")";
    }

    /** The template's name, or {@code null} when unknown. */
    public String template() {
        return template;
    }

    /** The 1-based line of the error, or 0 when unknown. */
    public int line() {
        return line;
    }
}
