package dev.carafe.cli;

/**
 * A failure the user can act on: its message is printed as {@code carafe: <message>}, without a
 * stack trace, and the process exits with {@code status} (1 for a failed step, 2 for misuse).
 */
class CliError extends RuntimeException {
    final int status;

    CliError(String message) {
        this(message, 1);
    }

    CliError(String message, int status) {
        super(message, null, false, false);
        this.status = status;
    }
}
