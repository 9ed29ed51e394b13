package dev.finote.server.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Every failure inside Spring MVC becomes a JSON {@link ApiError} with a 4xx or 503 status;
 * only a genuine bug is a 500, and even then the body says nothing about the internals.
 */
@RestControllerAdvice
public class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ApiError> refused(ApiException e) {
        return error(e.status()).body(e.body());
    }

    @ExceptionHandler(ServerBusyException.class)
    ResponseEntity<ApiError> busy(ServerBusyException e) {
        return error(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", Long.toString(Math.max(1, e.retryAfter().toSeconds())))
                .body(ApiError.of("service_unavailable"));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ApiError> unreadable(HttpMessageNotReadableException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PayloadTooLargeException) {
                return error(HttpStatus.CONTENT_TOO_LARGE).body(ApiError.of("payload_too_large"));
            }
            if (t instanceof Utf8CheckingInputStream.InvalidUtf8Exception) {
                return error(HttpStatus.BAD_REQUEST).body(ApiError.of("body_must_be_valid_utf8"));
            }
        }
        return error(HttpStatus.BAD_REQUEST).body(ApiError.of("malformed_json"));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ApiError> unsupportedMediaType() {
        return error(HttpStatus.UNSUPPORTED_MEDIA_TYPE).body(ApiError.of("content_type_must_be_application_json"));
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ApiError> notAcceptable() {
        return error(HttpStatus.NOT_ACCEPTABLE).body(ApiError.of("not_acceptable"));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ApiError> methodNotAllowed(HttpRequestMethodNotSupportedException e) {
        var response = error(HttpStatus.METHOD_NOT_ALLOWED);
        if (e.getSupportedHttpMethods() != null) response.allow(e.getSupportedHttpMethods().toArray(new org.springframework.http.HttpMethod[0]));
        return response.body(ApiError.of("method_not_allowed"));
    }

    @ExceptionHandler({NoHandlerFoundException.class, NoResourceFoundException.class})
    ResponseEntity<ApiError> notFound() {
        return error(HttpStatus.NOT_FOUND).body(ApiError.of("not_found"));
    }

    @ExceptionHandler(DataAccessException.class)
    ResponseEntity<ApiError> database(DataAccessException e) {
        if (isUnavailable(e)) {
            log.warn("database unavailable: {}", e.getMostSpecificCause().getMessage());
            return error(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "5").body(ApiError.of("service_unavailable"));
        }
        log.error("database error", e);
        return error(HttpStatus.INTERNAL_SERVER_ERROR).body(ApiError.of("internal_error"));
    }

    /**
     * A transaction that could not begin, commit or roll back. When the connection broke under it
     * (a streamed list's transaction whose pooled server connection was terminated, say), the
     * rollback fails too and hides the first error: both mean "try again", so 503 as above.
     */
    @ExceptionHandler(TransactionException.class)
    ResponseEntity<ApiError> transaction(TransactionException e) {
        boolean unavailable = e instanceof CannotCreateTransactionException || connectionLost(e)
                || e instanceof TransactionSystemException system && system.getApplicationException() != null
                        && connectionLost(system.getApplicationException());
        if (unavailable) {
            log.warn("database unavailable: {}", e.getMostSpecificCause().getMessage());
            return error(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "5").body(ApiError.of("service_unavailable"));
        }
        log.error("transaction error", e);
        return error(HttpStatus.INTERNAL_SERVER_ERROR).body(ApiError.of("internal_error"));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiError> unexpected(Exception e) {
        log.error("unexpected error", e);
        return error(HttpStatus.INTERNAL_SERVER_ERROR).body(ApiError.of("internal_error"));
    }

    /**
     * An error answer, always JSON: its Content-Type is fixed rather than negotiated, so a
     * client that prefers HTML or XML still gets the JSON error instead of an empty 406.
     */
    private static ResponseEntity.BodyBuilder error(HttpStatus status) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON);
    }

    /** The database is down, unreachable or too busy: the client should retry, so 503 rather than 500. */
    public static boolean isUnavailable(DataAccessException e) {
        return e instanceof CannotGetJdbcConnectionException || e instanceof DataAccessResourceFailureException
                || e instanceof TransientDataAccessException || e instanceof QueryTimeoutException || connectionLost(e);
    }

    /**
     * SQL states Spring leaves uncategorised that mean "try again": the connection broke or its
     * server went away (08…, 57P…: e.g. a pooler's server connection terminated mid-request), or
     * the host stopped accepting writes during a failover (25006; the pool then evicts the connection).
     */
    private static boolean connectionLost(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("57P") || state.equals("25006")) return true;
            }
        }
        return false;
    }
}
