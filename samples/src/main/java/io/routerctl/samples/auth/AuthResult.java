package io.routerctl.samples.auth;

/**
 * The library's verdict on a token.
 *
 * @param allowed   whether the token grants access
 * @param principal who the token belongs to, never {@code null} (empty when denied)
 */
public record AuthResult(boolean allowed, String principal) {
}
